"""Words of the press around a figure, declared once per language: what tells a period, a
segment, a measure, a base period, and a figure that is not about this statistic.

The draft reader (:mod:`digital_exports.contract.draft`) reads an article's prose with these
cues and the grammar of prints (numbers, units, qualifiers). Every cue is a regular expression
over text normalised by :func:`digital_exports.contract.textnorm.normalize` (lower case, Arabic
orthography folded: ``ة`` is ``ه``, hamza forms are bare alef), so a cue is written in that form.
"""

from __future__ import annotations

import re

#: Months by name (normalised), in French, English and Arabic (Maghreb and Mashriq names).
MONTHS: dict[str, int] = {
    **{m: i for i, m in enumerate(
        ("janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre",
         "octobre", "novembre", "decembre"), start=1)},
    **{m: i for i, m in enumerate(
        ("february", "march", "april", "may", "june", "july", "august", "september",
         "october", "november", "december"), start=2)},
    "january": 1,
    **{m: i for i, m in enumerate(
        ("يناير", "فبراير", "مارس", "ابريل", "ماي", "يونيو", "يوليوز", "غشت", "شتنبر", "اكتوبر",
         "نونبر", "دجنبر"), start=1)},
    "يونيه": 6, "يوليو": 7, "اغسطس": 8, "سبتمبر": 9, "نوفمبر": 11, "ديسمبر": 12,
}  # fmt: skip

#: Ordinals of halves, quarters and counts of months.
ORDINALS: dict[str, int] = {
    "premier": 1, "1er": 1, "first": 1, "الاول": 1, "deuxieme": 2, "second": 2, "2e": 2,
    "2eme": 2, "الثاني": 2, "troisieme": 3, "3e": 3, "third": 3, "الثالث": 3, "quatrieme": 4,
    "4e": 4, "fourth": 4, "الرابع": 4,
}  # fmt: skip
COUNTS: dict[str, int] = {
    "trois": 3, "three": 3, "الثلاثه": 3, "six": 6, "السته": 6, "neuf": 9, "nine": 9,
    "التسعه": 9, "onze": 11, "eleven": 11,
}  # fmt: skip

_ORD = "|".join(sorted(map(re.escape, ORDINALS), key=len, reverse=True))
_MONTH = "|".join(sorted(map(re.escape, MONTHS), key=len, reverse=True))
_COUNT = "|".join(sorted(map(re.escape, COUNTS), key=len, reverse=True))
_YEAR = r"(?P<y>(?:19|20)\d\d)"
_LAST_YEAR = (
    r"(?P<ly>de\s+l'annee\s+(?:derniere|precedente)|de\s+l'an\s+dernier|of\s+last\s+year|"
    r"(?:من\s+)?(?:السنه|العام)\s+(?:الماضي|الماضيه|المنصرم|المنصرمه|الفارط))"
)
_OPT_YEAR = (
    rf"(?:\s+(?:de\s+l'annee\s+|de\s+|of\s+|من\s+)?(?:سنه\s+|عام\s+)?{_YEAR}|"
    rf"\s+{_LAST_YEAR})?"
)

#: Period expressions: (kind, regex). The regex's named groups: ``n`` an ordinal or count,
#: ``m`` a month, ``y`` a year. Kinds: ``half``, ``quarter``, ``ytd`` (January to a month),
#: ``months`` (the first n months), ``year``, ``last_year``.
PERIODS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(rx))
    for kind, rx in (
        ("half", rf"\b(?P<n>{_ORD})\s+(?:semestre|half)(?:\s+of\s+the\s+year)?{_OPT_YEAR}"),
        ("half", rf"\b[sh](?P<n>[12])(?:\s*[-/]\s*|\s+){_YEAR}"),
        ("half", rf"\b{_YEAR}\s*[-/]?\s*[sh](?P<n>[12])\b"),
        ("half", rf"(?:النصف|الاسدس)\s+(?P<n>الاول|الثاني){_OPT_YEAR}"),
        ("quarter", rf"\b(?P<n>{_ORD})\s+(?:trimestre|quarter){_OPT_YEAR}"),
        ("quarter", rf"\b[tq](?P<n>[1-4])(?:\s*[-/]\s*|\s+){_YEAR}"),
        ("quarter", r"\b[tq](?P<n>[1-4])\b(?![,.]?\d)"),
        ("quarter", rf"(?:الفصل|الربع)\s+(?P<n>الاول|الثاني|الثالث|الرابع){_OPT_YEAR}"),
        ("ytd", rf"\b(?:fin|end(?:\s+of)?)\s+(?P<m>{_MONTH}){_OPT_YEAR}"),
        ("ytd", rf"(?:متم|نهايه|حتي|الي\s+غايه)\s+(?:شهر\s+)?(?P<m>{_MONTH}){_OPT_YEAR}"),
        ("months", rf"\b(?:les\s+|the\s+)?(?:first\s+)?(?P<n>{_COUNT})\s+(?:premiers\s+mois|"
                   rf"first\s+months|months){_OPT_YEAR}"),
        ("months", rf"(?:الاشهر|الشهور)\s+(?P<n>{_COUNT})\s+الاولي{_OPT_YEAR}"),
        ("months", rf"(?P<n>{_COUNT})\s+اشهر\s+الاولي{_OPT_YEAR}"),
        ("last_year", r"\bl'(?:annee|an)\s+(?:derniere|dernier|passee|passe)\b"),
        ("last_year", r"\blast\s+year\b"),
        ("last_year", r"(?:العام|السنه)\s+(?:الماضي|الماضيه|المنصرم|المنصرمه|الفارط)"),
        ("year", rf"(?<![\d,.]){_YEAR}(?![\d%]|[,.]\d|\s*%)"),
    )
)  # fmt: skip

#: Words that put a period named after them (within a few words) as the *base* of a
#: comparison.
BASE_CUES = re.compile(
    r"par\s+rapport(?:\s+a)?|contre|comparativement\s+(?:a|à)|compared\s+(?:with|to)|"
    r"against|versus|\bfrom\b|مقارنه\s+(?:مع|ب)|مقابل|عوض"
)
#: Words that say the base is the same period a year before.
SAME_PERIOD_BEFORE = re.compile(
    r"meme\s+periode|sur\s+un\s+an|"
    r"en\s+glissement\s+annuel|year[\s-]on[\s-]year|a\s+year\s+(?:earlier|before|ago)|"
    r"same\s+(?:period|quarter|half|months)|meme\s+(?:trimestre|semestre)|نفس\s+الفتره|الفتره\s+(?:نفسها|ذاتها)|الفصل\s+(?:نفسه|ذاته)|"
    r"علي\s+اساس\s+سنوي"
)

#: Segments by the words that name them, most specific first (code, regex).
SEGMENT_CUES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (code, re.compile(rx))
    for code, rx in (
        ("CC_BPO_OUT", r"centres?\s+d'appels?\s+et\s+(?:le\s+)?bpo|call\s+cent(?:re|er)s?\s+and\s+"
                       r"outsourc|outsourceurs"),
        ("BPO_CAPTIVE", r"captifs?|captives?"),
        ("ITO_CRM", r"\bito\s+(?:et|and|و)\s+(?:la\s+)?crm\b|(?:it\s+outsourcing|services\s+"
                    r"informatiques)\s+(?:et|and)\s+(?:la\s+)?(?:customer\s+relation|relation\s+"
                    r"client)[^.]{0,40}(?:together|ensemble|reunis|cumul)"),
        ("ITO", r"\bito\b|services?\s+informatiques?|it\s+outsourcing|informatique|"
                r"\bit\s+services|information\s+technology|المعلوماتيه|المعلوميات|"
                r"تكنولوجيا\s+المعلومات|الاعلاميات|الخدمات\s+الرقميه\s+للمعلومات"),
        ("CRM", r"\bcrm\b|relation\s+clients?|gestion\s+de\s+la\s+relation|centres?\s+d'appels?|"
                r"customer\s+relation|call\s+cent|contact\s+cent|مراكز\s+(?:النداء|الاتصال)|"
                r"علاق(?:ات|ه)\s+(?:الزبناء|العملاء|الزبائن)|خدمه\s+العملاء"),
        ("ESO", r"\beso\b|ingenierie|ingénierie|engineering|الهندسه"),
        ("KPO", r"\bkpo\b|knowledge|connaissance|المعرفه"),
        ("BPO", r"\bbpo\b|processus\s+metiers?|business\s+process|معالجه\s+العمليات"),
        ("MKT_FR", r"\bfrance\b|فرنسا"),
        ("MKT_EU", r"union\s+europeenne|european\s+union|الاتحاد\s+الاوروبي"),
    )
)  # fmt: skip

#: A change, by the words before the number (a fall where ``fall`` matches).
CHANGE_CUES = re.compile(
    r"hausse|progress|croissance|augment|bond|avanc|accroissement|evolu|gagn|"
    r"\bup\b|\brose\b|\brise\b|\bgrew\b|growth|increase|\bgain|jump|climb|advanc|"
    r"\bdown\b|\bfell\b|declin|drop|decrease|slip|\bfall|"
    r"recul|baiss|repli|diminu|chute|contract|"
    r"ارتفاع|ارتفع|نمو|زياده|تطور|تحسن|تراجع|انخفاض|انخفض|بارتفاع|بانخفاض|بتراجع|بزياده|بنمو"
)
FALL_CUES = re.compile(
    r"recul|baiss|repli|diminu|chute|contract|\bdown\b|\bfell\b|declin|drop|decrease|slip|"
    r"\bfall|تراجع|انخفاض|انخفض|بانخفاض|بتراجع"
)
#: A share, by the words before or just after the number.
SHARE_BEFORE = re.compile(
    r"\bpart\b|represent|\bsoit\b|pese|pesant|accounted|accounting|account\s+for|"
    r"equivalent|concentre|\bshare\b|حصه|تمثل|يمثل|يمثلان|تمثلان|بحصه|نسبه\s+من"
)
SHARE_AFTER = re.compile(
    r"^\s*(?:share\b|of\s+(?:the\s+)?total)|^\s*(?:du|de|des|of|من)\b[^.;:\d]{0,30}?(?:total|ensemble|exportations|recettes|"
    r"revenues|receipts|exports|الاجمالي|مجموع|صادرات|عائدات)"
)
#: Words that open a sentence about the segment of the sentence before ("Elles représentent").
PRONOUN_START = re.compile(r"^\s*(?:elles?|ils?|they|it|its|leur|leurs|وهي|وهو|وتمثل|ويمثل)\b")
#: A reference to a past period that is not the period of what follows ("after a flat 2024").
REFERENCE_CUES = re.compile(r"(?:\bafter\b|\bapres\b|\bsince\b|\bdepuis\b|بعد)[^.,;]{0,15}$")
#: An average annual growth, by the words around the number.
AVERAGE_CUES = re.compile(
    r"moyenne|average\s+annual|annual\s+average|par\s+an\b|a\s+year\s+on\s+average|"
    r"متوسط|معدل\s+سنوي"
)
#: A comparison with the same period a year before named right after a figure ("contre 6,59
#: milliards un an plus tôt"): the figure is of that earlier period.
YEAR_EARLIER_AFTER = re.compile(
    r"^[^.;\d]{0,25}?(?:un\s+an\s+plus\s+tot|l'annee\s+precedente|a\s+year\s+(?:earlier|"
    r"before|ago)|the\s+previous\s+year|في\s+السنه\s+الماضيه|قبل\s+سنه)"
)
#: Words that say a sentence is about digital and outsourcing exports.
ABOUT = re.compile(
    r"numerique|digital|outsourc|offshor|externalisation|\bito\b|\bcrm\b|\beso\b|\bbpo\b|"
    r"\bkpo\b|ترحيل|الرقمي|الرقميه"
)

#: Why a figure is not about this statistic, by the words of its clause (reason, regex).
NOT_ABOUT: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (why, re.compile(rx))
    for why, rx in (
        ("a target, not an outturn", r"\bvis|objectif|horizon|d'ici\s+20|ambition|target|\baim|"
                                     r"by\s+20\d\d|الهدف|افق|يطمح|يهدف|تطمح|يراهن|رفع"),
        ("jobs or people", r"emploi|postes?\b|salari|personnes|jobs?\b|employ|workers|people|"
                           r"femmes|women|diplom|graduat|منصب|مناصب|شغل|العاملين|النساء|خريج"),
        ("companies", r"entreprises|societes|sociétés|companies|firms|شركه|شركات|مقاوله"),
        ("another statistic", r"biens|goods|marchandises|automobile|phosphat|deficit|"
                              r"totales?\s+de\s+services|total\s+services|services\s+exports\s+"
                              r"as\s+a\s+whole|"
                              r"transferts|remittance|\bmre\b|touris|voyages|\bide\b|fdi|"
                              r"salaires|wages|trade\s+balance|balance\s+commerciale|العجز|"
                              r"تحويلات|السلع|السياحه"),
        ("another country", r"egypt|égypt|inde\b|india|philippin|tunisi|pologne|poland|"
                            r"roumanie|romania|الهند(?!س)|مصر|تونس|الفلبين"),
    )
)  # fmt: skip

#: Words that name the ministry's "outsourcing" statements, and the legacy offshoring block.
MINISTRY = re.compile(r"minist|الوزاره|وزاره")
LEGACY = re.compile(r"offshoring|ترحيل\s+الخدمات")

#: Clause and sentence boundaries.
SENTENCE_END = re.compile(r"[.!?؟](?=\s|$)|\n")
CLAUSE_END = re.compile(r"[;:؛،]|,(?=\s|$)|[.!?؟](?=\s|$)|\n|\s[-–—]\s|\(|\)")
