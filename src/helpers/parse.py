"""Release parser: the text of a CENTCOM Defeat-ISIS release -> the figures it states.

A user pastes a release as it stands on the web page, site chrome and all. The parser reads it
through tables of phrases (number words, qualifiers, metric phrases, period phrases, country
mentions) rather than per-layout code:

* the text is normalised (BOM, CRLF, NBSP, curly quotes, dashes) and cut into units: a list item
  or header line, or one sentence of prose;
* country headers ("In Iraq:", "• In Iraq: • In Syria:", "In Iraq In Syria") open a block, or a
  pair of columns, that the item lines below them belong to;
* each count phrase ("33 partnered operations", "killed 14 ISIS operatives", "No U.S.-only
  operations", "more than 70 targets") becomes a figure. It takes the nearest period phrase of
  its sentence, else the period the release is about (point-in-time metrics: the release date),
  and the nearest country mention, else its column or block, else the release's scope (a
  Syria-only release, or Iraq and Syria together: ``all``);
* one figure is kept per period, country and metric; a conflicting repeat becomes a warning.
"""

from __future__ import annotations

import calendar
import csv
import json
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from ._files import MAX_TEXT_BYTES, read_limited
from .errors import ParseError, ValueTooLarge
from .vocab import bounds, whole_number

__all__ = ["Figure", "Release", "Check", "parse_text", "parse_file", "checks", "run_parse", "CSV_FIELDS"]


@dataclass(frozen=True)
class Figure:
    """One figure a release states: ``value`` (with ``qualifier``) of ``metric`` for a country and period."""

    period_start: date
    period_end: date
    country: str
    metric: str
    value: int
    qualifier: str = "exact"
    period_wording: str = ""


@dataclass
class Release:
    """What a release text yields: its figures, date, number and title, and warnings about the reading."""

    figures: list[Figure]
    release_date: date | None
    release_number: str | None
    title: str | None
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Check:
    """A headline total against its country breakdown, under each reading that applies."""

    period_start: date
    period_end: date
    metric: str
    headline: int
    sums: tuple[tuple[str, int], ...]  # (reading, breakdown sum), e.g. ("partnered", 31)
    holds: tuple[str, ...]  # the readings that agree with the headline; empty: none does
    message: str

    @property
    def ok(self) -> bool:
        return bool(self.holds)


# --------------------------------------------------------------------------- numbers, qualifiers, dates

_FLAGS = re.I | re.A  # ASCII: case folding and \w, \s, \b stay predictable on any input


def _re(pattern: str) -> re.Pattern:
    return re.compile(pattern, _FLAGS)


def _g(name: str, pattern: str) -> str:
    return f"(?P<{name}>{pattern})"


_SMALL = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
          "fifteen sixteen seventeen eighteen nineteen").split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_WORD_VALUES = {w: i for i, w in enumerate(_SMALL)} | {w: 20 + 10 * i for i, w in enumerate(_TENS)}
_WORD_VALUES |= {"no": 0, "a dozen": 12}
_NUMWORD = (r"(?:(?:" + "|".join(_TENS) + r")(?:[- ](?:one|two|three|four|five|six|seven|eight|nine)\b)?|"
            + "|".join(sorted(_SMALL, key=len, reverse=True)) + r"|a\s+dozen|no)")
# A count: 2,500 / 43 / forty-one / a dozen / No. Not part of a word, a decimal or a code.
_NUM = (r"(?<![\w.,/])(?<!\w-)(?P<n>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]{1,7}|" + _NUMWORD + r")"
        r"(?![\w]|-\w|,[0-9]|\.[0-9])")

_QUALIFIERS = {
    "at least": "at_least", "more than": "more_than", "over": "more_than", "just over": "more_than",
    "well over": "more_than", "nearly": "nearly", "almost": "nearly", "about": "about",
    "approximately": "about", "around": "about", "roughly": "about", "up to": "up_to",
}
_QWORDS = "|".join(sorted((q.replace(" ", r"\s+") for q in _QUALIFIERS), key=len, reverse=True))
_Q = rf"(?:(?P<q>{_QWORDS})\s+)?"

_MON = (r"(?-i:(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
        r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\b)\.?")  # capitalised: "may" is a verb
_DAY = r"[0-3]?[0-9](?:st|nd|rd|th)?\b"
_YEAR = r"(?:19|20)[0-9]{2}\b"
_M1, _M2, _D1, _D2 = _g("m1", _MON), _g("m2", _MON), _g("d1", _DAY), _g("d2", _DAY)
_Y1, _Y2 = _g("y1", _YEAR), _g("y2", _YEAR)

# --------------------------------------------------------------------------- metric phrases

# Operations: "33 partnered operations", "1 U.S.-only operation", "a total of 43 D-ISIS operations",
# "94 Defeat ISIS Missions", "108 operations in cooperation with partners".
_FILL = (r"(?:total|D-?ISIS|Defeat[- ]ISIS|counter-?ISIS|anti-?ISIS|combat|military|separate|successful|"
         r"additional|further|more)")
_PARTNERED = r"(?:partnered|partner(?:ed)?-led|joint)"
_USONLY = r"(?:(?:U\.?\s?S\.?|US)[- ]?only|(?:U\.?S\.?[- ])?unilateral)"
_WITH_PARTNERS = (r"(?:(?P<along>alongside)|in\s+cooperation\s+with|in\s+partnership\s+with|in\s+coordination\s+with|"
                  r"together\s+with|jointly\s+with)\s+(?:[\w.'-]+\s+){0,5}?"
                  r"(?:partners?|forces|SDF|ISF|Peshmerga|army)\b")
_OPS = _re(rf"{_Q}{_NUM}\s+(?:{_FILL}\s+)*(?:(?P<p>{_PARTNERED})\s+|(?P<u>{_USONLY})\s+)?(?:{_FILL}\s+)*"
           rf"(?:operations?|missions?)\b(?:\s+(?:conducted\s+|carried\s+out\s+)?"
           rf"(?:(?P<pp>{_WITH_PARTNERS})|(?P<uu>unilaterally|by\s+U\.?S\.?\s+forces\s+(?:alone|only))))?")

# People killed or detained ("captured", "arrested", ...), and leaders among them.
_NOUN = (r"(?:operatives?|members?|fighters?|militants?|terrorists?|insurgents?|suspects?|combatants?|"
         r"individuals?|affiliates?|people|persons)")
_LEADER = r"(?:leaders?|commanders?|officials?|emirs?|leadership\s+figures?)"
_RANK = r"(?:senior|mid-level|mid\s+level|high-level|high-ranking|top|key|ranking|regional)"
_ADJ = (rf"(?:(?:{_RANK}|(?:and|or)\s+{_RANK}|suspected|additional|other|more|ISIS|IS|Daesh|ISIS-affiliated|"
        rf"ISIS-linked|terrorist|militant|enemy|Islamic\s+State)\s+){{0,5}}")
_WHO = rf"{_ADJ}(?:(?P<lead>{_LEADER})|{_NOUN})\b"
_OF_ISIS = r"(?:\s+of\s+(?:the\s+)?(?:ISIS|Islamic\s+State|Daesh)(?:\s+(?:groups?|terrorist\s+group))?)?"
_VPAST = r"(?:killed|detained|captured|apprehended|arrested)"
_VACT = r"(?:kill(?:ed|ing)?|detain(?:ed|ing)?|captur(?:e|ed|ing)|apprehend(?:ed|ing)?|arrest(?:ed|ing)?)"
_VNOUN = r"(?:killing|deaths?|capture|detention|arrests?|apprehension)"
_BOUNDARY = (r"(?=\s*(?:[,.;:)]|$)|\s+(?:and|in|during|across|over|since|from|as|while|throughout|between|on|"
             r"this|last)\b)")
_KILL_WORDS = ("kill", "detain", "captur", "apprehen", "arrest")

# The rule table: (reader, metric, words one of which the sentence must contain, pattern), most specific
# first; a number one rule has read is not read again. Readers: "count" takes the metric as it is,
# "ops" and "people" work it out from the match, "leaders" from the words around it.
_RULES = (
    ("count", "detainees_transferred", ("transfer", "moved", "relocated"),
     _re(rf"\b(?:transfer(?:red|ring)?|moved|relocated)\s+(?:of\s+)?{_Q}{_NUM}\s+(?:[\w-]+\s+){{0,3}}?"
         r"(?:detainees|fighters|prisoners|individuals|members)\b")),
    ("count", "detainees_transferred", ("transfer", "moved", "relocated"),
     _re(rf"{_Q}{_NUM}\s+(?:[\w-]+\s+){{0,3}}?(?:detainees|fighters|prisoners)\s+"
         r"(?:(?:were|have\s+been|had\s+been)\s+)?(?:transferred|moved|relocated)\b")),
    ("count", "isis_inspired_plots_in_us", ("united states", "homeland"),
     _re(rf"{_Q}{_NUM}\s+(?:ISIS[- ](?:inspired|directed|enabled)\s+|terrorist\s+)?"
         r"(?:plots?(?:\s+(?:or|and)\s+attacks)?|attacks?)\b"
         r"(?=[^.;]{0,60}?\b(?:United\s+States|U\.S\.\s+homeland|homeland)\b)")),
    ("count", "isis_claimed_attacks", ("claim",),
     _re(rf"\bclaim(?:ed|ing)\s+(?:responsibility\s+for\s+)?{_Q}{_NUM}\s+(?:\w+\s+)?attacks?\b")),
    ("count", "isis_claimed_attacks", ("claim",),
     _re(rf"{_Q}{_NUM}\s+(?:(?:ISIS|ISIS-claimed|claimed)\s+)*attacks?\s+(?:(?:were|was)\s+)?claimed\b")),
    ("count", "isis_fighters_at_large", ("at large",),
     _re(rf"{_Q}{_NUM}\s+(?:ISIS\s+)?(?:fighters|members|militants|operatives)\s+"
         r"(?:(?:remain|remaining|still)\s+)?at\s+large\b")),
    ("count", "isis_detainees_in_facilities", ("detention", "prison"),
     _re(rf"{_Q}{_NUM}\s+(?:ISIS\s+)?(?:detainees|prisoners|fighters)\s+"
         r"(?:(?:held|housed|detained|remain|remaining|currently|still)\s+)*(?:in|at|across)\s+(?:[\w-]+\s+){0,3}?"
         r"(?:detention|prisons?\b)")),
    ("count", "al_hol_al_roj_population", ("hol",),
     _re(rf"{_Q}{_NUM}\s+(?:[A-Za-z,-]+\s+){{0,6}}?(?:from|in|at|of)\s+(?:the\s+)?al[- ]?Hol\b")),
    # "the population of al-Hol fell from a peak of over 70,000 in 2019 to more than 43,000": any count
    # of thousands in a sentence about the camps (but not a year)
    ("camps", "al_hol_al_roj_population", ("hol", "roj"),
     _re(rf"{_Q}{_NUM}(?:\s+(?:people|individuals|residents|persons|displaced\s+persons)\b"
         r"|(?=\s*(?:[,.;)]|$)|\s+(?:in|to|at|as|and|from|by|living|remain)\b))")),
    ("count", "us_personnel_injured", ("injur", "wound"),  # "four U.S. service members (and a dog) were wounded"
     _re(rf"{_Q}{_NUM}\s+(?:U\.?S\.?|American)\s+(?:service\s*members|personnel|troops|soldiers|forces)\b"
         r"(?=[^.;]{0,40}?\b(?:injured|wounded)\b)")),
    ("count", "precision_munitions", ("munition", "weapon", "bomb"),
     _re(rf"{_Q}{_NUM}\s+(?:precision(?:-guided)?|guided)\s+(?:munitions|weapons|bombs)\b")),
    ("count", "strike_targets", ("target",), _re(rf"{_Q}{_NUM}\s+(?:ISIS\s+|terrorist\s+)?targets\b")),
    ("count", "weapons_caches_destroyed", ("cache",),
     _re(rf"{_Q}{_NUM}\s+(?:ISIS\s+)?(?:weapons?\s+|arms\s+|ammunition\s+)?caches\b")),
    ("count", "us_strikes", ("strike",),
     _re(rf"{_Q}{_NUM}\s+(?:U\.?S\.?\s+|American\s+)?(?:air\s*strikes|airstrikes)\b")),
    ("ops", "", ("operation", "mission"), _OPS),
    # "(40 partnered and 3 U.S.-only)"
    ("ops", "", ("partner", "only", "unilateral", "joint"),
     _re(rf"{_Q}{_NUM}\s+(?:(?P<p>{_PARTNERED})|(?P<u>{_USONLY}))(?=\s*(?:[,;)]|and\b|or\b))")),
    # "the killing of 163 terrorists", "the deaths or detention of 23 terrorist operatives"
    ("people", "", ("kill", "death", "captur", "detention", "arrest", "apprehen"),
     _re(rf"(?P<v1>{_VNOUN})(?:\s+(?:or|and)\s+(?:the\s+)?(?P<v2>{_VNOUN}))?\s+of\s+{_Q}{_NUM}\s+"
         rf"(?:{_WHO}|others\b)")),
    # "17 ISIS operatives killed", "eight senior ISIS leaders were killed", "30 operatives killed or detained"
    ("people", "", _KILL_WORDS,
     _re(rf"{_Q}{_NUM}\s+{_WHO}{_OF_ISIS}\s+(?:(?:were|was|have\s+been|has\s+been|had\s+been|being|also)\s+)*"
         rf"(?P<v1>{_VPAST})(?:\s+(?:or|and/or|and)\s+(?P<v2>{_VPAST}))?\b")),
    # "killed 14 ISIS operatives", "detained 119 others", "capturing 19"
    ("people", "", _KILL_WORDS,
     _re(rf"(?P<v1>{_VACT})(?:\s+(?:or|and)\s+(?P<v2>{_VACT}))?\s+{_Q}{_NUM}"
         rf"(?:\s+(?:{_WHO}|(?:others|more)\b)|{_BOUNDARY})")),
    # "and 227 detained", "163 terrorists killed and 33 captured"
    ("people", "", _KILL_WORDS,
     _re(rf"{_Q}{_NUM}\s+(?:(?:were|others?|more|additional)\s+)?(?P<v1>{_VPAST})\b(?:\s+or\s+(?P<v2>{_VPAST})\b)?")),
    # "including three senior leaders", "more than 30 were senior and mid-level ISIS leaders"
    ("leaders", "", ("leader", "commander", "official", "emir"),
     _re(rf"{_Q}{_NUM}\s+(?:(?:were|of\s+(?:them|whom|those)\s+were)\s+)?{_ADJ}(?P<lead>{_LEADER})\b")),
)
_RULE_WORDS = tuple({w for rule in _RULES for w in rule[2]})
# A text cut off mid-item at its very end ("No U.S.-only o"): read when the words so far say what it is.
_TAIL_OPS = _re(rf"{_Q}{_NUM}\s+(?:{_FILL}\s+)*(?:(?P<p>{_PARTNERED})|(?P<u>{_USONLY}))\s+(?P<part>[a-z]{{1,9}})\s*$")
_TAIL_PERSON = _re(rf"{_Q}{_NUM}\s+{_WHO}\s+(?P<part>[a-z]{{3,8}})\s*$")

_PERSON_METRIC = {
    (False, frozenset({"killed"})): "killed", (False, frozenset({"detained"})): "detained",
    (False, frozenset({"killed", "detained"})): "killed_or_detained",
    (True, frozenset({"killed"})): "leaders_killed", (True, frozenset({"detained"})): "leaders_captured",
    (True, frozenset({"killed", "detained"})): "leaders_killed_or_captured",
}
# Figures of a moment (an estimate, a strike): dated at the release unless a date of their own says otherwise.
_INSTANT = {"isis_fighters_at_large", "isis_detainees_in_facilities", "al_hol_al_roj_population",
            "strike_targets", "precision_munitions", "detainees_transferred"}
_FIXED_COUNTRY = {"isis_inspired_plots_in_us": "all", "al_hol_al_roj_population": "syria"}  # the camps are in Syria
_CORE = {"operations", "partnered_operations", "us_only_operations", "killed", "detained"}

_ANY_NUM = _re(_NUM)
_SPELLED_OUT = _re(r"\b([A-Za-z]+(?:-[A-Za-z]+)?)\s+\(([0-9]{1,2})\)")  # "five (5) members": the numeral once
_QUALIFIER_BEFORE = _re(rf"\b(?:{_QWORDS})\s+$")
_NOT_A_COUNT = _re(rf"(?:{_MON}\s+(?:[0-3]?[0-9],?\s+)?|\byear\s+|\bNo\.\s*)$")  # "the January 2023 operations"
_VERB = _re(rf"{_VACT}|{_VNOUN}")
_CAMPS = _re(r"\bal[- ]?(?:Hol|Roj)\b")
_AMONG_THEM = _re(r"\b(?:among|of)\s+(?:them|those|these)\b")

# --------------------------------------------------------------------------- countries and layout

# "in Iraq and Syria" (also in "the Islamic State in Iraq and Syria") is both: all.
_COUNTRY = _re(r"\b(?:in|across|throughout|within|inside|from)\s+(?:(?:the\s+)?(?:north|south|east|west|central|"
               r"northern|southern|eastern|western|north-?eastern|north-?western|north-?east|north-?west)\s+)?"
               r"(?P<a>Iraq|Syria)\b(?:\s*(?:,|and|&|or)\s*(?:in\s+)?(?P<b>Iraq|Syria)\b)?"
               r"|^[^\w]*(?P<h>Iraq|Syria)\s*[:-]")
_HEADER = _re(r"^[^\w]*(?:in\s+)?(?P<a>Iraq|Syria)\b[^\w]*(?:(?:in\s+)?(?P<b>Iraq|Syria)\b[^\w]*)?$")
_INLINE_HEADER = _re(r"^[^\w]*(?:in\s+)?(?P<a>Iraq|Syria)\s*[:-]\s*(?P<rest>.+)$")
_ITEM = _re(rf"^(?:[^\w\s\"'(]\s*)*{_Q}{_NUM}\s+\w")
_OPS_WORDS = _re(r"\b(?:operations?|missions?|D-?ISIS|Defeat[- ]ISIS)\b")
_SENTENCE_INSIDE, _LETTERS = re.compile(r"[.!?]\s+[A-Z]"), re.compile(r"[A-Za-z]{2}")
_CLAUSE_END, _GAP = re.compile(r"[.;:]\s"), re.compile(r"[\s,;:()-]*")
_SENTENCE_END = re.compile(r"[.!?][\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])")
_ABBREV = {"u.s", "gen", "lt", "col", "maj", "adm", "sgt", "capt", "cmdr", "brig", "fla", "mr", "mrs", "ms", "dr",
           "st", "no", "jr", "sr", "vs", "etc", "inc", "dept", "gov", "jan", "feb", "mar", "apr", "jun", "jul",
           "aug", "sep", "sept", "oct", "nov", "dec", "e.g", "i.e"}

# --------------------------------------------------------------------------- period phrases

# (kind, words one of which the text needs - "M" a month name, "Y" a year -, pattern), in priority
# order: a phrase claims its words.
_PERIODS = (
    ("range", ("from", "between"),  # "from Oct. 1 to Nov. 6"
     _re(rf"\b(?:from|between)\s+{_M1}\s+{_D1}(?:,?\s+{_Y1})?,?\s*(?:to|through|until|till|and|-)\s*"
         rf"(?:{_M2}\s+)?{_D2}(?:,?\s+{_Y2})?")),
    ("range", ("M",), _re(rf"\b{_M1}\s+{_D1}(?:,?\s+{_Y1})?\s*(?:-|to|through)\s*{_M2}\s+{_D2}(?:,?\s+{_Y2})?")),
    ("since_day", ("since", "following", "after"),  # "since August 29", "following the Dec. 13 attack"
     _re(rf"\b(?:since|following|after)\s+(?:[\w'-]+\s+){{0,5}}?(?:on\s+)?{_M1}\s+{_D1}(?:,?\s+{_Y1})?"
         r"(?:\s+(?:attack|strike|raid|ambush|bombing|shooting))?")),
    ("since_month", ("since",),
     _re(rf"\bsince\s+(?:the\s+(?:beginning|start)\s+of\s+)?{_M1}(?:,?\s+{_Y1})?(?!\s*[0-9])")),
    ("since_year", ("since",), _re(rf"\bsince\s+(?:the\s+(?:beginning|start)\s+of\s+)?(?:the\s+year\b|{_Y1})")),
    ("this_year", ("this year", "so far", "to-date", "to date"),
     _re(rf"\b(?:so\s+far\s+this\s+year|so\s+far\s+in\s+{_Y1}|this\s+year|year[- ]to[- ]date)\b")),
    ("half", ("half", "six months"),  # "in the first half of 2024", "the first six months of 2024"
     _re(rf"\b(?:(?:in|during|for|over|throughout)\s+)?the\s+(?:{_g('h', 'first|second|1st|2nd')}\s+half|"
         rf"{_g('s', 'first|last')}\s+six\s+months)\s+of\s+(?:(?:the\s+)?(?:calendar\s+)?year\s+)?{_Y1}")),
    ("quarter", ("quarter",),
     _re(rf"\b(?:the\s+)?{_g('qn', 'first|second|third|fourth|1st|2nd|3rd|4th')}\s+quarter\s+of\s+"
         rf"(?:(?:calendar\s+)?year\s+)?{_Y1}")),
    ("relative", ("past", "last", "previous", "preceding"),  # "over the last six months", "in the past 60 days"
     _re(rf"\b(?:(?:over|in|during|for|within|throughout)\s+)?the\s+(?:past|last|previous|preceding)\s+"
         rf"(?:{_g('n', _NUMWORD + '|[0-9]{1,4}')}\s+)?{_g('u', 'days?|weeks?|months?|years?')}\b")),
    ("months", ("M",),  # "January through March 2024", "September and October"
     _re(rf"\b(?:(?:from|between|for|during|in|over|throughout)\s+)?(?:the\s+months\s+of\s+)?"
         rf"{_M1}(?!\s*[0-9]{{1,2}}\b)(?:,?\s+{_Y1})?\s*(?:\s(?:through|to|thru|until|and)\s|-)\s*"
         rf"{_M2}(?!\s*[0-9]{{1,2}}\b)(?:,?\s+{_Y2})?")),
    ("year", ("Y",),  # "Calendar year 2022", "Year in Review 2022", "in 2023"
     _re(rf"\b(?:calendar\s+year|CY)\s*{_Y1}|\b{_g('y2', _YEAR)}\s+year\s+in\s+review|"
         rf"\byear\s+in\s+review\W{{0,3}}{_g('y3', _YEAR)}|"
         rf"\b(?:in|during|for|throughout)\s+(?:the\s+year\s+)?{_g('y4', _YEAR)}(?!\s*[-/][0-9])")),
    ("month", ("M",), _re(rf"\b(?:(?:for|during|in|throughout|over)\s+)?(?:the\s+month\s+of\s+)?{_M1},?\s+{_Y1}")),
    ("month", ("M",), _re(rf"\b(?:for|during|in|throughout|the\s+month\s+of)\s+{_M1}(?!\s*[0-9])")),
    ("on_day", ("M",),  # a single day: "On Dec. 19, U.S. forces struck ..."
     _re(rf"\bon\s+(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?{_M1}\s+{_D1}(?:,?\s+{_Y1})?")),
)
_PERIOD_WORDS = tuple({w for period in _PERIODS for w in period[1] if len(w) > 1})
_MONTH_NAME, _YEAR_NUMBER = _re(_MON), _re(rf"\b{_YEAR}")
# Spans relative to the release, or given in days: adjacent ones merge, the most explicit winning.
_RANK_OF = {"range": 3, "since_day": 2, "since_month": 1, "since_year": 1, "this_year": 1, "relative": 0}
_MERGED = 9
_HALF = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "last": 2}
_QUARTER = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}

# --------------------------------------------------------------------------- release metadata

_MDY = rf"{_g('m', _MON)}\s+{_g('d', _DAY)},?\s+{_g('y', _YEAR)}"  # Aug. 9, 2023
_DMY = rf"{_g('d', _DAY)}\s+{_g('m', _MON)},?\s+{_g('y', _YEAR)}"  # 9 Aug 2023
_ISO = r"(?P<y>(?:19|20)[0-9]{2})-(?P<m>[01][0-9])-(?P<d>[0-3][0-9])(?![0-9])"  # 2023-08-09
_NUMERIC = r"(?P<m>[01]?[0-9])[./](?P<d>[0-3]?[0-9])[./](?P<y>(?:19|20)[0-9]{2})\b"  # 08.09.2023, month first
_DATE_LINES = tuple(  # "Press Release | Aug. 9, 2023", "Posted On: Aug 9, 2023 10:15 AM", "Date: 08.09.2023"
    _re(r"^(?:[\w .-]*\|\s*)?(?:(?:posted|published|updated|date|released)(?:\s+on)?\s*:?\s*)?" + d
        + r"(?:\s*(?:\|.*|(?:,|at|-)?\s*[0-9]{1,2}:[0-9]{2}.*|T[0-9].*))?$")
    for d in (_MDY, _DMY, _ISO, _NUMERIC)
) + (_re(rf"^[A-Z][\w .,'-]{{1,40}}\(\s*{_MDY}\s*\)"),)  # dateline: "TAMPA, Fla. (Nov. 12, 2025) -"
_NOT_AFTER = r"(?<!since )(?<!from )(?<!until )(?<!through )(?<!to )(?<!and )(?<!on )(?<!between )(?<!after )"
_ANY_DATES = (_re(_NOT_AFTER + _MDY), _re(_NOT_AFTER + _DMY))
_RELEASE_NUMBER = _re(r"\bRelease\s+(?:Number|No\.?|#)\s*:?\s*(?P<a>[0-9]{8})\s*-\s*(?P<b>[0-9]{1,3})\b")
_PRESS_LINE = _re(r"^\s*(?:press|news)\s+release\s*\|")
_TITLE_WORDS = _re(r"ISIS|Daesh|Islamic\s+State|Defeat|Review|Iraq|Syria")
_KEY_VALUE = re.compile(r"[a-z]+:\s")  # "url: ..." lines a copy may start with: not a title

_CHARS = str.maketrans({
    "\ufeff": "", "\u200b": "", "\u200c": "", "\u200d": "", "\u2060": "", "\u00ad": "",
    "\u00a0": " ", "\u2007": " ", "\u2009": " ", "\u202f": " ", "\u3000": " ", "\t": " ",
    "\u2002": " ", "\u2003": " ", "\u2004": " ", "\u2005": " ", "\u2006": " ", "\u2008": " ", "\u200a": " ",
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
})


# --------------------------------------------------------------------------- small helpers

def _number(text: str) -> int:
    word = " ".join(text.lower().split())
    if word[0].isdigit():
        return whole_number(word.replace(",", ""))  # issue 18: a limit, not a crash
    if word in _WORD_VALUES:
        return _WORD_VALUES[word]
    tens, unit = re.split(r"[- ]", word, maxsplit=1)
    return _WORD_VALUES[tens] + _WORD_VALUES[unit]


def _qualifier(m: re.Match) -> str:
    q = m.groupdict().get("q")
    return _QUALIFIERS[" ".join(q.lower().split())] if q else "exact"


_MONTH_NUMBERS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}


def _month(name: str) -> int:
    return _MONTH_NUMBERS[name[:3].lower()]


def _day(text: str) -> int:
    return int(text.rstrip("stndrh"))


def _date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _minus_months(d: date, n: int) -> date | None:
    y, m0 = divmod(d.year * 12 + d.month - 1 - n, 12)
    if y < 1:
        return None
    return date(y, m0 + 1, min(d.day, calendar.monthrange(y, m0 + 1)[1]))


def _year_for(month: int, day: int, released: date | None) -> int | None:
    """The year of a yearless date: the release's, or the year before if that would follow the release."""
    if released is None:
        return None
    return released.year - 1 if (month, day) > (released.month, released.day) else released.year


def _is_headline(line: str, share: float = 0.8) -> bool:
    """A short line in Title Case without a full stop: a page or related-story headline, not prose."""
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z'-]*", line) if len(w) > 3]
    if len(words) < 2 or len(line) > 160 or line.rstrip().endswith((".", ":", '"')):
        return False
    return sum(w[0].isupper() for w in words) >= share * len(words)


def _sentences(line: str) -> list[str]:
    out, start = [], 0
    for m in _SENTENCE_END.finditer(line):
        token = re.search(r"[\w.]*$", line[max(start, m.start() - 20):m.start()], re.A).group()
        if "." in token or (len(token) == 1 and token.isalpha()) or token.lower() in _ABBREV:
            continue  # "U.S. Central Command", "Gen. Kurilla", "Aug. 29"
        out.append(line[start:m.end()].strip())
        start = m.end()
    out.append(line[start:].strip())
    return [s for s in out if s]


# --------------------------------------------------------------------------- units

@dataclass
class _Unit:
    text: str
    line: int
    kind: str  # "prose", "item", "header" or "headline"
    block: str | None = None  # country of the "In Iraq:" block the unit sits in
    columns: tuple[str, str] | None = None  # countries of a two-column list


def _units(lines: list[str]) -> list[_Unit]:
    """Cut the text into units, tracking country blocks and two-column lists.

    A block ("In Syria:") covers the item lines below it; prose right under its header belongs to it
    too, until a prose line without numbers follows one with them. Prose after the items ends it."""
    units: list[_Unit] = []
    block: str | None = None
    columns: tuple[str, str] | None = None
    state = ""  # "header": prose under a header; "counted": that prose had numbers; "items": in a list
    for no, raw in enumerate(lines, 1):
        line = " ".join(raw.split())
        if not line:
            continue
        head = _HEADER.match(line)
        if head and len(line) < 60:
            a, b = head["a"].lower(), (head["b"] or "").lower()
            block, columns = (None, (a, b)) if b and b != a else (a, None)
            state = "header"
            units.append(_Unit(line, no, "header", block, columns))
            continue
        inline = _INLINE_HEADER.match(line)
        if inline and _ITEM.match(inline["rest"]):  # "In Iraq: 33 partnered operations, 0 US-only ..."
            block, columns, state = inline["a"].lower(), None, "items"
            units.append(_Unit(line, no, "item", block))
            continue
        if _ITEM.match(line) and not _SENTENCE_INSIDE.search(line):
            state = "items"
            units.append(_Unit(line, no, "item", block, columns))
            continue
        if not _LETTERS.search(line):
            continue  # "-30-"
        columns = None
        if _is_headline(line):
            units.append(_Unit(line, no, "headline"))
            continue
        numbers = bool(_ANY_NUM.search(line))
        if state == "items" or (state == "counted" and not numbers):
            block = None
        state = "counted" if block and (numbers or state == "counted") else state
        units.extend(_Unit(s, no, "prose", block) for s in _sentences(line))
    return units


# --------------------------------------------------------------------------- periods

@dataclass
class _Phrase:
    start: int
    end: int
    kind: str
    period: tuple[date, date] | None
    wording: str
    rank: int = -1  # see _RANK_OF


def _resolve(kind: str, m: re.Match, released: date | None, year_hint: int | None) -> tuple[date, date] | None:
    """Dates of a period phrase; None when they depend on a release date the text lacks."""
    g = {k: v for k, v in m.groupdict().items() if v}
    y1 = int(g["y1"]) if "y1" in g else None
    try:
        if kind == "range":
            m1, d1 = _month(g["m1"]), _day(g["d1"])
            m2, d2 = (_month(g["m2"]) if "m2" in g else m1), _day(g["d2"])
            y2 = int(g["y2"]) if "y2" in g else (y1 if y1 and "m2" not in g else _year_for(m2, d2, released))
            if y2 is None:
                return None
            start, end = _date(y1 or y2, m1, d1), _date(y2, m2, d2)
            if start and end and start > end and not y1:  # "from Dec. 20 to Jan. 3"
                start = _date(y2 - 1, m1, d1)
            return (start, end) if start and end and start <= end else None
        if kind == "on_day":
            m1, d1 = _month(g["m1"]), _day(g["d1"])
            y = y1 or _year_for(m1, d1, released)
            d = _date(y, m1, d1) if y else None
            return (d, d) if d else None
        if kind in ("months", "month"):
            m1 = _month(g["m1"])
            m2 = _month(g["m2"]) if "m2" in g else m1
            y2 = (int(g["y2"]) if "y2" in g else y1 if (y1 and "m2" not in g)
                  else year_hint or _year_for(m2, 1, released))
            if y2 is None:
                return None
            y1 = y1 or (y2 if m1 <= m2 else y2 - 1)
            start, end = date(y1, m1, 1), _month_end(y2, m2)
            return (start, end) if start <= end else None
        if kind == "half":
            h = _HALF[(g.get("h") or g["s"]).lower()]
            return date(y1, 6 * h - 5, 1), _month_end(y1, 6 * h)
        if kind == "quarter":
            q = _QUARTER[g["qn"].lower()]
            return date(y1, 3 * q - 2, 1), _month_end(y1, 3 * q)
        if kind == "year":
            y = int(g.get("y1") or g.get("y2") or g.get("y3") or g["y4"])
            return date(y, 1, 1), date(y, 12, 31)
        if released is None:
            return None
        if kind == "since_day":
            m1, d1 = _month(g["m1"]), _day(g["d1"])
            start = _date(y1 or _year_for(m1, d1, released), m1, d1)
        elif kind == "since_month":
            m1 = _month(g["m1"])
            start = date(y1 or _year_for(m1, 1, released), m1, 1)
        elif kind in ("since_year", "this_year"):
            start = date(y1 or released.year, 1, 1)
        else:  # back from the release date, both ends included: 60 days = the release day and 59 before
            n = _number(g["n"]) if "n" in g else 1
            unit = g["u"].lower().rstrip("s")
            if unit in ("day", "week"):
                days = n * (7 if unit == "week" else 1)
                start = released - timedelta(days=days - 1) if days >= 1 else None
            else:  # "over the last six months" in a release of Dec. 17: from June 17
                start = _minus_months(released, n * (12 if unit == "year" else 1))
        return (start, released) if start and start <= released else None
    except (ValueError, OverflowError):
        return None


def _phrases(text: str, released: date | None, year_hint: int | None) -> list[_Phrase]:
    """The period phrases of a unit in text order, adjacent ones ("over the past month, from Oct. 1 to
    Nov. 6") merged. Wording is kept for spans relative to the release or given in days."""
    found: list[_Phrase] = []
    low = text.lower()
    present = {w for w in _PERIOD_WORDS if w in low}
    present |= {"M"} if _MONTH_NAME.search(text) else set()
    present |= {"Y"} if _YEAR_NUMBER.search(text) else set()
    for kind, needs, pattern in _PERIODS:
        if present.isdisjoint(needs):
            continue
        for m in pattern.finditer(text):
            if any(m.start() < p.end and p.start < m.end() for p in found):
                continue
            words = m.group().strip(" ,")
            if kind not in _RANK_OF:
                wording = ""  # a calendar period: its dates say it all
            else:  # "Over the last six months" -> "over the last six months"; a month keeps its capital
                wording = words if _MONTH_NAME.match(words) else words[0].lower() + words[1:]
            found.append(_Phrase(m.start(), m.end(), kind, _resolve(kind, m, released, year_hint), wording,
                                 _RANK_OF.get(kind, -1)))
    found.sort(key=lambda p: p.start)
    merged: list[_Phrase] = []
    for p in found:
        last = merged[-1] if merged else None
        if (last and last.rank >= 0 and p.rank >= 0 and last.kind != p.kind
                and {last.kind, p.kind} & {"range", "since_day"} and _GAP.fullmatch(text, last.end, p.start)):
            best = max(last, p, key=lambda x: x.rank)
            merged[-1] = _Phrase(last.start, p.end, best.kind, best.period, f"{last.wording}; {p.wording}", _MERGED)
        else:
            merged.append(p)
    return merged


# --------------------------------------------------------------------------- figures within a unit

@dataclass
class _Hit:
    start: int
    end: int
    metric: str
    value: int
    qualifier: str
    kinds: frozenset = frozenset()  # for people: {"killed"}, {"detained"} or both
    column: str | None = None  # the country of its column, in a two-column list
    alongside: bool = False  # "N operations (conducted) alongside partners": partnered in a country's count only


def _verb_kinds(*verbs: str | None) -> frozenset:
    return frozenset("killed" if v[:4].lower() in ("kill", "deat") else "detained" for v in verbs if v)


def _overlapping(pattern: re.Pattern, text: str):
    pos = 0
    while (m := pattern.search(text, pos)) is not None:
        yield m
        pos = m.start() + 1


def _hits(text: str, previous_kinds: frozenset, last_unit: bool) -> tuple[list[_Hit], list[str]]:
    """The count phrases of one unit, each number read once, by the first rule of _RULES that fits."""
    hits: list[_Hit] = []
    notes: list[str] = []
    # Most rules start with the count: try them only where a count (or its qualifier) starts.
    starts = []
    for n in _ANY_NUM.finditer(text):
        q = _QUALIFIER_BEFORE.search(text, max(0, n.start() - 20), n.start())
        starts.append(q.start() if q else n.start())
    if not starts:
        return hits, notes

    taken = bytearray(len(text))  # the characters a hit has read

    def scan(pattern: re.Pattern, read) -> None:
        if pattern.pattern.startswith(_Q):
            matches = [m for m in (pattern.match(text, s) for s in starts) if m]
        else:
            matches = _overlapping(pattern, text)
        for m in matches:
            if any(taken[m.start():m.end()]):
                continue
            if m["n"][0].isdigit() and _NOT_A_COUNT.search(text, max(0, m.start("n") - 20), m.start("n")):
                continue
            hit = read(m)
            if hit is not None:
                hits.append(hit)
                taken[m.start():m.end()] = b"\1" * (m.end() - m.start())

    def count(m, metric):
        return _Hit(m.start(), m.end(), metric, _number(m["n"]), _qualifier(m))

    def ops(m, _=None):
        g = m.groupdict()
        metric = ("partnered_operations" if g.get("p") or g.get("pp") else
                  "us_only_operations" if g.get("u") or g.get("uu") else "operations")
        return _Hit(m.start(), m.end(), metric, _number(m["n"]), _qualifier(m), alongside=bool(g.get("along")))

    def people(m, _=None):
        kinds = _verb_kinds(m["v1"], m["v2"])
        return _Hit(m.start(), m.end(), _PERSON_METRIC[(bool(m.groupdict().get("lead")), kinds)],
                    _number(m["n"]), _qualifier(m), kinds)

    def leaders(m, _=None):
        # Killed or captured: the verb after them, else the people counted just before them ("30 operatives
        # killed, including three senior leaders"), else the verbs before them in the sentence, else those
        # of the sentence before ("Among them were ...").
        window = max(0, m.start() - 300)  # the words before them that can speak of them
        after = re.split(r"[.;,0-9]", text[m.end():m.end() + 300], maxsplit=1)[0]
        kinds = _verb_kinds(*_VERB.findall(after))
        if not kinds:
            near = [h for h in hits if window <= h.start < m.start()]
            since = max([h.end for h in near if h.metric.startswith("leaders")], default=window)
            kinds = frozenset().union(*[h.kinds for h in near if since <= h.start])
        if not kinds:
            kinds = _verb_kinds(*_VERB.findall(text, window, m.start()))
        if not kinds and _AMONG_THEM.search(text, window, m.start()):
            kinds = previous_kinds
        if not kinds:
            notes.append(f"leaders in {m.group()!r}: killed or captured is not said; skipped")
            return None
        return _Hit(m.start(), m.end(), _PERSON_METRIC[(True, kinds)], _number(m["n"]), _qualifier(m), kinds)

    def camps(m, metric):
        n = m["n"]
        if not n[0].isdigit() or _number(n) < 1000 or ("," not in n and 1900 <= _number(n) < 2100):
            return None  # the camps hold thousands; 2019 is a year
        return count(m, metric) if _CAMPS.search(text) else None

    readers = {"count": count, "ops": ops, "people": people, "leaders": leaders, "camps": camps}
    low = text.lower()
    present = {w for w in _RULE_WORDS if w in low}
    for reader, metric, needs, pattern in _RULES:
        if not present.isdisjoint(needs):
            scan(pattern, lambda m: readers[reader](m, metric))
    if last_unit:  # only words the cut can still mean: "No U.S.-only o" is U.S.-only operations
        part = (tail := _TAIL_OPS.search(text)) and tail["part"].lower()
        if part and any(w.startswith(part) and w != part for w in ("operation", "operations", "mission", "missions")):
            scan(_TAIL_OPS, ops)
            notes.append(f"the text ends mid-item: read {tail.group()!r} as operations")
        part = (tail := _TAIL_PERSON.search(text)) and tail["part"].lower()
        verbs = [v for v in ("killed", "detained", "captured", "arrested") if part and v.startswith(part) and v != part]
        if verbs:
            kinds = _verb_kinds(verbs[0])
            scan(_TAIL_PERSON, lambda m: _Hit(m.start(), m.end(), _PERSON_METRIC[(bool(m["lead"]), kinds)],
                                              _number(m["n"]), _qualifier(m), kinds))
            notes.append(f"the text ends mid-item: read {tail.group()!r} as {verbs[0]}")
    hits.sort(key=lambda h: h.start)
    return hits, notes


def _mentions(text: str) -> list[tuple[int, str]]:
    """Country mentions of a unit: (position, "iraq" / "syria" / "all")."""
    out = []
    for m in _COUNTRY.finditer(text):
        a, b = (m["a"] or m["h"]).lower(), (m["b"] or "").lower()
        out.append((m.start(), "all" if b and b != a else a))
    return out


def _country(unit: _Unit, hit: _Hit, hits: list[_Hit], mentions: list[tuple[int, str]]) -> str | None:
    """The first mention after the figure in its clause ("14 unilateral operations in Syria"), else the
    last one before it ("In Iraq, 66 partnered operations"), else the sentence's only country, else the
    block; None when the text does not say."""
    text = unit.text
    nxt = min([h.start for h in hits if h.start >= hit.end] + [len(text), hit.end + 80])
    stop = _CLAUSE_END.search(text, hit.end, nxt)
    limit = stop.start() if stop else nxt
    after = [c for pos, c in mentions if hit.end <= pos < limit]
    if after:
        return after[0]
    before = [c for pos, c in mentions if pos < hit.start]
    if before:
        return before[-1]
    named = {c for _, c in mentions}
    if len(named) == 1:
        return named.pop()
    return unit.block


def _scope(units: list[_Unit], found: list[list[_Hit]], title: str | None) -> str:
    """'syria' for a release that speaks of Syria alone, else 'all'. The evidence: the title, the headers
    and the sentences with operations, killed or detained counts (else every sentence)."""
    def seen(pairs) -> set[str]:
        out = set()
        for unit, _ in pairs:
            out.update(c for _, c in _mentions(unit.text))
            out.update(c for c in (unit.block, *(unit.columns or ())) if c)
        return out

    pairs = [(u, h) for u, h in zip(units, found) if u.kind != "headline"]
    evidence = seen(p for p in pairs if p[0].kind == "header" or any(x.metric in _CORE for x in p[1]))
    evidence |= {c for _, c in _mentions(title or "")}
    if not evidence:
        evidence = seen(pairs)
    return "syria" if evidence == {"syria"} else "all"


# --------------------------------------------------------------------------- metadata

def _release_date(lines: list[str]) -> date | None:
    """The first date line ("Press Release | Aug. 9, 2023", "Aug 9, 2023", a dateline); failing that, the
    first full date in running text that no "since", "from", "on"... makes part of a period."""
    press = [line for line in lines if _PRESS_LINE.match(line)]  # before a sidebar's dates
    for line in press + lines:
        s = line.strip()
        for pattern in _DATE_LINES:
            m = pattern.search(s)
            d = m and _date(int(m["y"]), int(m["m"]) if m["m"].isdigit() else _month(m["m"]), _day(m["d"]))
            if d:
                return d
    text = "\n".join(lines)
    dates = [m for pattern in _ANY_DATES for m in pattern.finditer(text)]
    for m in sorted(dates, key=lambda m: m.start()):
        d = _date(int(m["y"]), _month(m["m"]), _day(m["d"]))
        if d:
            return d
    return None


def _title(lines: list[str]) -> str | None:
    """The line after "Press Release | date", else the first headline-like line about ISIS, Iraq or Syria."""
    for i, line in enumerate(lines):
        if _PRESS_LINE.match(line):
            for nxt in lines[i + 1:i + 6]:
                s = " ".join(nxt.split())
                if s and not any(p.search(s) for p in _DATE_LINES):
                    if len(s) <= 200 and not s.endswith("."):
                        return s
                    break
    for line in lines[:80]:
        s = " ".join(line.split())
        if not _KEY_VALUE.match(s) and _is_headline(s, 0.75) and _TITLE_WORDS.search(s):
            return s
    return None


# --------------------------------------------------------------------------- public API

def _read_counts(units: list[_Unit], warnings: list[str]) -> list[list[_Hit]]:
    """First pass: the count phrases of each unit; items of a two-column list get their column's country."""
    last = max((i for i, u in enumerate(units) if u.kind != "header"), default=-1)
    found: list[list[_Hit]] = []
    previous_kinds: frozenset = frozenset()
    pending: _Hit | None = None  # the first cell of a two-column row cut into two lines
    for i, unit in enumerate(units):
        hits, notes = _hits(unit.text, previous_kinds, i == last) if unit.kind != "headline" else ([], [])
        warnings.extend(f"line {unit.line}: {n}" for n in notes)
        if unit.columns and len(hits) == 2:  # "20 partnered operations 11 partnered operations"
            hits[0].column, hits[1].column = unit.columns
        elif unit.columns and len(hits) == 1 and pending and pending.metric == hits[0].metric:
            pending.column, hits[0].column = unit.columns
            pending = None
        elif unit.columns and len(hits) == 1:
            pending = hits[0]
        elif unit.columns and hits:
            warnings.append(f"line {unit.line}: {len(hits)} figures under two columns; skipped")
            hits = []
        found.append(hits)
        previous_kinds = frozenset().union(*[h.kinds for h in hits]) if hits else previous_kinds
    for unit, hits in zip(units, found):
        if unit.columns and any(h.column is None for h in hits):
            warnings.append(f"line {unit.line}: a figure under two columns without its pair; skipped")
            hits.clear()
    return found


def _place(units: list[_Unit], found: list[list[_Hit]], released: date | None, year_hint: int | None,
           about: _Phrase | None, scope: str, warnings: list[str]) -> list[Figure]:
    """Second pass: each count's period and country; one figure per period, country and metric. ``about``
    is the title's period, if any: the period of counts that no sentence dates."""
    phrases = [_phrases(u.text, released, year_hint) for u in units]
    # Relative words read beside explicit dates ("over the past month, from Oct. 1 to Nov. 6") mean those
    # dates wherever the release uses them.
    aliases = {w.strip().lower(): p for ps in phrases for p in ps if p.rank == _MERGED for w in p.wording.split(";")}
    placed = []  # (line, hit, period, wording, country or None where only the release's scope says)
    context = about  # the period the release is about, so far
    for unit, hits, unit_phrases in zip(units, found, phrases):
        unit_phrases = [aliases.get(p.wording.lower(), p) if 0 <= p.rank < _MERGED else p for p in unit_phrases]
        mentions = _mentions(unit.text)
        for hit in hits:
            country = _FIXED_COUNTRY.get(hit.metric) or hit.column or _country(unit, hit, hits, mentions)
            candidates = unit_phrases
            if hit.metric in _INSTANT:  # only a date of its own: "On Dec. 19, U.S. forces struck 70 targets"
                candidates = [p for p in unit_phrases if min(hits, key=lambda h: _distance(p, h)) is hit]
            phrase = min(candidates, key=lambda p: _distance(p, hit), default=None)
            if phrase is not None and phrase.period:
                placed.append((unit.line, hit, phrase.period, phrase.wording, country))
            elif hit.metric in _INSTANT and released:
                placed.append((unit.line, hit, (released, released), "", country))
            elif context is not None:
                placed.append((unit.line, hit, context.period, context.wording, country))
            else:
                warnings.append(f"line {unit.line}: no period for {hit.value} {hit.metric}; skipped")
        # The period a release is about: the last span of a sentence that counts operations or speaks of them.
        spans = [p for p in unit_phrases if p.period and p.kind != "on_day"]
        if spans and (any(h.metric in _CORE for h in hits) or _OPS_WORDS.search(unit.text)):
            context = spans[-1]
    # A count with no country of its own takes the release's scope, unless that country states its own,
    # different count: then it is the total for both ("CENTCOM conducted 95 operations ... In Syria, 59").
    stated = {(period, country, hit.metric): (hit.value, hit.qualifier)
              for _, hit, period, _, country in placed if country}
    figures: list[Figure] = []
    first: dict[tuple, Figure] = {}
    for line, hit, period, wording, country in placed:
        if country is None:
            own = stated.get((period, scope, hit.metric))
            country = "all" if own and own != (hit.value, hit.qualifier) else scope
        # "95 operations alongside Iraqi partners" as a headline is the headline total
        metric = "operations" if hit.alongside and country == "all" else hit.metric
        fig = Figure(period[0], period[1], country, metric, hit.value, hit.qualifier, wording)
        key = (fig.period_start, fig.period_end, fig.country, fig.metric)
        if key not in first:
            first[key] = fig
            figures.append(fig)
        elif (first[key].value, first[key].qualifier) != (fig.value, fig.qualifier):
            warnings.append(f"line {line}: {fig.country} {fig.metric} {fig.period_start}..{fig.period_end}"
                            f": {_show(fig)} conflicts with {_show(first[key])} read earlier; kept the first")
    return figures


def parse_text(text: str, name: str = "<text>") -> Release:
    """Parse the text of a release into figures; ParseError (only) when it states none."""
    text = text.translate(_CHARS)
    if "(" in text:
        text = _SPELLED_OUT.sub(lambda m: m[2] if _ANY_NUM.fullmatch(m[1]) and _number(m[1]) == whole_number(m[2])
                                else m[0], text)
    lines = text.splitlines()
    number = _RELEASE_NUMBER.search(text)
    release_number = f"{number['a']}-{number['b']}" if number else None
    released = _release_date(lines)
    if released is None and number:  # "Release Number 20230809-01" is dated
        released = _date(int(number["a"][:4]), int(number["a"][4:6]), int(number["a"][6:]))
    title = _title(lines)
    warnings: list[str] = []
    if released is None:
        warnings.append("no release date found: spans relative to it are not read")
    about = next((p for p in _phrases(title or "", released, None) if p.period and p.kind != "on_day"), None)
    year_hint = about.period[1].year if about else None

    units = _units(lines)
    found = _read_counts(units, warnings)
    figures = _place(units, found, released, year_hint, about, _scope(units, found, title), warnings)
    if not figures:
        skipped = sum("no period for" in w for w in warnings)
        why = f" ({skipped} count(s) without a period{'; no release date found' if released is None else ''})"
        raise ParseError(f"{name}: no figures found{why if skipped else ''}")
    return Release(figures, released, release_number, title, warnings)


def _distance(a, b) -> int:
    """Characters between two spans of a unit (0 when they touch or overlap)."""
    return max(a.start - b.end, b.start - a.end, 0)


def _show(fig: Figure) -> str:
    return f"{fig.value}" if fig.qualifier == "exact" else f"{fig.value} ({fig.qualifier})"


def parse_file(path) -> Release:
    """Read a release file (UTF-8, BOM and CRLF tolerated) and parse it; ParseError names the file."""
    try:
        data = read_limited(path, MAX_TEXT_BYTES, ParseError)  # issue 18: /dev/zero, a 20 MB text
    except OSError as e:
        raise ParseError(f"{path}: cannot read: {e.strerror or e}") from None
    warnings = []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
        warnings.append("not valid UTF-8: read as Windows-1252")
    try:
        release = parse_text(text, str(path))
    except ValueTooLarge as e:  # issue 18: values have a maximum (vocab.MAX_VALUE)
        raise ParseError(f"{path}: {e}") from None
    release.warnings[:0] = warnings
    return release


def checks(release: Release) -> list[Check]:
    """Headline totals against the country breakdown: operations under both readings (partnered only;
    partnered plus U.S.-only), killed and detained as Iraq plus Syria. Qualified figures ("more than
    22") agree when their ranges meet (helpers.vocab.bounds). Never fatal."""
    by = {(f.period_start, f.period_end, f.country, f.metric): f for f in release.figures}
    out = []
    for (start, end, country, metric), head in by.items():
        if country != "all" or metric not in ("operations", "killed", "detained"):
            continue

        def get(c: str, m: str) -> Figure | None:
            return by.get((start, end, c, m))

        if metric == "operations":
            partnered = [get(c, "partnered_operations") or get(c, "operations") for c in ("iraq", "syria")]
            if None in partnered:
                continue
            readings = [("partnered", partnered)]
            us_only = [f for f in (get("iraq", "us_only_operations"), get("syria", "us_only_operations")) if f]
            if us_only:
                readings.append(("partnered+us_only", partnered + us_only))
        else:
            parts = [get("iraq", metric), get("syria", metric)]
            if None in parts:
                continue
            readings = [("iraq+syria", parts)]
        low, high = bounds(head.value, head.qualifier)
        sums, holds, said = [], [], []
        for label, parts in readings:
            b = [bounds(p.value, p.qualifier) for p in parts]
            s_low = sum(x for x, _ in b)
            s_high = None if any(y is None for _, y in b) else sum(y for _, y in b)
            total = sum(p.value for p in parts)
            ok = (high is None or s_low <= high) and (s_high is None or low <= s_high)
            sums.append((label, total))
            holds += [label] if ok else []
            said.append(f"{label} {'+'.join(str(p.value) for p in parts)}={total} {'holds' if ok else 'differs'}")
        verdict = f"{' and '.join(holds)} {'hold' if len(holds) > 1 else 'holds'}" if holds else "neither reading holds"
        message = f"{start}..{end} {metric}: headline {_show(head)}; {'; '.join(said)}: {verdict}"
        out.append(Check(start, end, metric, head.value, tuple(sums), tuple(holds), message))
    return out


CSV_FIELDS = ("file", "period_start", "period_end", "country", "metric", "value", "qualifier",
              "period_wording", "release_date", "release_number", "title")


def run_parse(files: list[str], as_json: bool, stdout, stderr) -> int:
    """The body of ``tally parse FILE...``: figures as CSV (or JSON) on stdout; warnings, failed checks
    and unreadable or figureless files on stderr. 1 when a file yielded no figures, else 0."""
    rows, failed = [], []
    writer = None
    if not as_json:
        writer = csv.DictWriter(stdout, fieldnames=CSV_FIELDS, lineterminator="\n")
        writer.writeheader()
    for path in files:
        try:
            release = parse_file(path)
        except ParseError as e:
            failed.append(str(e))
            continue
        for w in release.warnings:
            print(f"{path}: warning: {w}", file=stderr)
        for c in checks(release):
            if not c.ok:
                print(f"{path}: check: {c.message}", file=stderr)
        for f in release.figures:
            row = {"file": str(path), "period_start": f.period_start.isoformat(),
                   "period_end": f.period_end.isoformat(), "country": f.country, "metric": f.metric,
                   "value": f.value, "qualifier": f.qualifier, "period_wording": f.period_wording,
                   "release_date": release.release_date.isoformat() if release.release_date else None,
                   "release_number": release.release_number, "title": release.title}
            if writer:
                writer.writerow({k: "" if v is None else v for k, v in row.items()})
            else:
                rows.append(row)
    if as_json:
        json.dump(rows, stdout, indent=1, ensure_ascii=False)
        stdout.write("\n")
    for message in failed:
        print(f"tally parse: {message}", file=stderr)
    return 1 if failed else 0
