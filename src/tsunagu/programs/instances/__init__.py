"""Program instances of the 総合事業: who runs which type where, with participants."""
