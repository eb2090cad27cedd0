"""Gap analysis (交通空白の分析): the pure computation, its page and its CLI command."""
