"""The basic checklist's items and criteria (基本チェックリスト 様式第一・様式第二).

DOMAIN.md §4.1 (binding): 25 items answered はい/いいえ, each "applies" (該当) for one of the
two answers; item 12 applies when BMI < 18.5 (unrounded). A person meeting any one of the
seven criteria is 事業対象者. Items 17 and 21–25 never count toward criterion 1.

Heights and weights are compared in integer units (0.01 cm and 1 g) so that the BMI
boundary is exact: 47.36 kg at 160 cm is BMI 18.5 exactly and must not apply, which a
floating-point division (47.36 / 1.6²) may get wrong.
"""

from __future__ import annotations

from dataclasses import dataclass

YES = True  # はい
NO = False  # いいえ

ITEM_COUNT = 25
BMI_ITEM = 12  # answered by height and weight, never はい/いいえ
ANSWERED_ITEMS: tuple[int, ...] = tuple(n for n in range(1, ITEM_COUNT + 1) if n != BMI_ITEM)

# Accepted measurement ranges (a typing error such as 1600 cm or 5 kg is refused, not scored).
HEIGHT_RANGE_CM = (80.0, 250.0)
WEIGHT_RANGE_KG = (20.0, 250.0)
# BMI < 18.5 with height H in 0.01 cm and weight W in grams:
# (W/1000) / (H/10⁴)² = W·10⁵/H² < 37/2  ⇔  2·W·10⁵ < 37·H²  (integers, exact in int64).
BMI_LIMIT_NUMERATOR = 37
BMI_LIMIT_DENOMINATOR = 2


@dataclass(frozen=True)
class Item:
    number: int
    question: str
    applies_when: bool | None  # YES/NO; None for item 12 (BMI)
    domain: str


ITEMS: tuple[Item, ...] = (
    Item(1, "バスや電車で1人で外出していますか", NO, "日常生活関連動作"),
    Item(2, "日用品の買物をしていますか", NO, "日常生活関連動作"),
    Item(3, "預貯金の出し入れをしていますか", NO, "日常生活関連動作"),
    Item(4, "友人の家を訪ねていますか", NO, "日常生活関連動作"),
    Item(5, "家族や友人の相談にのっていますか", NO, "日常生活関連動作"),
    Item(6, "階段を手すりや壁をつたわらずに昇っていますか", NO, "運動器"),
    Item(7, "椅子に座った状態から何もつかまらずに立ち上がっていますか", NO, "運動器"),
    Item(8, "15分位続けて歩いていますか", NO, "運動器"),
    Item(9, "この1年間に転んだことがありますか", YES, "運動器"),
    Item(10, "転倒に対する不安は大きいですか", YES, "運動器"),
    Item(11, "6ヵ月間で2～3kg以上の体重減少がありましたか", YES, "栄養"),
    Item(12, "身長・体重（BMI 18.5未満）", None, "栄養"),
    Item(13, "半年前に比べて固いものが食べにくくなりましたか", YES, "口腔"),
    Item(14, "お茶や汁物等でむせることがありますか", YES, "口腔"),
    Item(15, "口の渇きが気になりますか", YES, "口腔"),
    Item(16, "週に1回以上は外出していますか", NO, "閉じこもり"),
    Item(17, "昨年と比べて外出の回数が減っていますか", YES, "閉じこもり"),
    Item(18, "周りの人から「いつも同じ事を聞く」などの物忘れがあると言われますか", YES, "認知機能"),
    Item(19, "自分で電話番号を調べて、電話をかけることをしていますか", NO, "認知機能"),
    Item(20, "今日が何月何日かわからない時がありますか", YES, "認知機能"),
    Item(21, "（ここ2週間）毎日の生活に充実感がない", YES, "うつ"),
    Item(22, "（ここ2週間）これまで楽しんでやれていたことが楽しめなくなった", YES, "うつ"),
    Item(23, "（ここ2週間）以前は楽にできていたことが今ではおっくうに感じられる", YES, "うつ"),
    Item(24, "（ここ2週間）自分が役に立つ人間だと思えない", YES, "うつ"),
    Item(25, "（ここ2週間）わけもなく疲れたような感じがする", YES, "うつ"),
)
ITEMS_BY_NUMBER: dict[int, Item] = {item.number: item for item in ITEMS}


@dataclass(frozen=True)
class Criterion:
    """Met when at least ``threshold`` of ``items`` apply (様式第二)."""

    number: int
    name: str  # shown to users as the reason
    items: tuple[int, ...]
    threshold: int

    def describe(self) -> str:
        """「No.6〜10 のうち3項目以上」: the rule in words, for the result page."""
        if len(self.items) == 1:
            return f"No.{self.items[0]} に該当"
        if self.threshold == len(self.items):
            return "No." + "・".join(str(n) for n in self.items) + " のすべてに該当"
        return f"{_ranges(self.items)} のうち{self.threshold}項目以上に該当"


def _ranges(numbers: tuple[int, ...]) -> str:
    runs: list[list[int]] = []
    for n in numbers:
        if runs and runs[-1][-1] == n - 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return "・".join(f"No.{r[0]}〜{r[-1]}" if len(r) > 1 else f"No.{r[0]}" for r in runs)


CRITERIA: tuple[Criterion, ...] = (
    # Item 17 (and 21–25) never count toward criterion 1 (DOMAIN.md §4.1).
    Criterion(1, "生活機能全般", tuple(n for n in range(1, 21) if n != 17), 10),
    Criterion(2, "運動機能", (6, 7, 8, 9, 10), 3),
    Criterion(3, "栄養", (11, 12), 2),
    Criterion(4, "口腔", (13, 14, 15), 2),
    Criterion(5, "閉じこもり", (16,), 1),
    Criterion(6, "認知機能", (18, 19, 20), 1),
    Criterion(7, "うつ", (21, 22, 23, 24, 25), 2),
)
REASON_SEPARATOR = "・"
