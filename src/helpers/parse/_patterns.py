"""Tables of phrases: numbers and qualifiers, metric phrases (the rule table), country mentions and
layout lines, and the small readers of numbers and dates."""

from __future__ import annotations

import re
from datetime import date

from ..vocab import whole_number

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
           rf"(?:operations?|missions?|raids?)\b(?:\s+(?:conducted\s+|carried\s+out\s+)?"
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
_VNOUN = r"(?:killings?|deaths?|capture|detention|detainment|arrests?|apprehensions?)"
# "detaining another 12", "the capture of a further nine": a second count, in the scope of the one before it
_ANOTHER = r"(?:another|a\s+further|an?\s+additional|yet\s+another)"
_BOUNDARY = (r"(?=\s*(?:[,.;:)]|$)|\s+(?:and|in|during|across|over|since|from|as|while|throughout|between|on|"
             r"this|last)\b)")
_KILL_WORDS = ("kill", "detain", "captur", "apprehen", "arrest")

# Counts that are not a tallied metric (people moved or released, a change in a number, places, areas,
# families, things): their number is claimed, and read as nothing. (reader "skip", what they count, ...)
# (done, not aimed at: "efforts to repatriate more than 9,000 detainees" still counts the detainees)
_MOVE_VERBS = r"(?:repatriated|returned|relocated|evacuated|resettled|released|reunited|departed|left)"
_MOVE_WORDS = ("repatriat", "return", "relocat", "evacuat", "resettl", "releas", "reunit", "depart", "left")
_CHANGE_WORDS = ("fell", "fallen", "dropped", "decrease", "declined", "rose", "risen", "increase", "grew", "grown",
                 "reduced", "down by", "up by")
_NOT_COUNTED = (r"(?:square\s+(?:miles|kilometers|kilometres|km)|miles|kilometers|kilometres|km|villages|towns|"
                r"neighbou?rhoods|families|households|women\s+and\s+children|children|vehicles|tunnels|rifles|"
                r"(?:improvised\s+)?explosive\s+devices|IEDs|rounds|tons|pounds|munitions|bombs|rockets|drones|"
                r"hideouts|safe\s+houses|buildings|acres|hectares)")
_NOT_TALLIED = (
    # "repatriated 400 families", "the return of 300 people to Iraq"
    ("skip", "moved", _MOVE_WORDS,
     _re(rf"\b(?:{_MOVE_VERBS}|the\s+return\s+of)\s+(?:(?:{_ANOTHER}|some|about|nearly|over)\s+)?{_Q}{_NUM}\b")),
    # "1,150 people who had lived in the camp were returned to Iraq"
    ("skip", "moved", _MOVE_WORDS,
     _re(rf"{_Q}{_NUM}\s+(?:[\w,'-]+\s+){{0,9}}?(?:were|was|have\s+been|has\s+been|had\s+been|are\s+being|being|"
         rf"have|had)\s+(?:\w+\s+)?{_MOVE_VERBS}\b")),
    # "the camp's population fell by 2,000"
    ("skip", "change", _CHANGE_WORDS,
     _re(rf"\b(?:fell|fallen|dropped|decreased|declined|rose|risen|increased|grew|grown|reduced|down|up)\s+by\s+{_Q}{_NUM}\b")),
)
_NOT_COUNTED_THINGS = (
    # "cleared 12 villages", "across 300 square miles", "50 munitions"
    ("skip", "other", ("mile", "kilomet", "km", "village", "town", "neighb", "famil", "household", "children",
                       "vehicle", "tunnel", "rifle", "explosive", "ied", "round", "ton", "pound", "munition", "bomb",
                       "rocket", "drone", "hideout", "house", "building", "acre", "hectare"),
     _re(rf"{_Q}{_NUM}\s+(?:[\w-]+\s+){{0,2}}?{_NOT_COUNTED}\b")),
)

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
    *_NOT_TALLIED,
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
    *_NOT_COUNTED_THINGS,
    ("ops", "", ("operation", "mission", "raid"), _OPS),
    # "(40 partnered and 3 U.S.-only)"
    ("ops", "", ("partner", "only", "unilateral", "joint"),
     _re(rf"{_Q}{_NUM}\s+(?:(?P<p>{_PARTNERED})|(?P<u>{_USONLY}))(?=\s*(?:[,;)]|and\b|or\b))")),
    # "the killing of 163 terrorists", "the deaths or detention of 23 terrorist operatives"
    ("people", "", ("kill", "death", "captur", "detention", "arrest", "apprehen"),
     _re(rf"(?P<v1>{_VNOUN})(?:\s+(?:or|and)\s+(?:the\s+)?(?P<v2>{_VNOUN}))?\s+of\s+(?:{_ANOTHER}\s+)?{_Q}{_NUM}"
         rf"(?:\s+(?:{_WHO}|others\b)|{_BOUNDARY})")),
    # "17 ISIS operatives killed", "eight senior ISIS leaders were killed", "30 operatives killed or detained"
    ("people", "", _KILL_WORDS,
     _re(rf"{_Q}{_NUM}\s+{_WHO}{_OF_ISIS}\s+(?:(?:were|was|have\s+been|has\s+been|had\s+been|being|also)\s+)*"
         rf"(?P<v1>{_VPAST})(?:\s+(?:or|and/or|and)\s+(?P<v2>{_VPAST}))?\b")),
    # "killed 14 ISIS operatives", "detained 119 others", "capturing 19"
    ("people", "", _KILL_WORDS,
     _re(rf"(?P<v1>{_VACT})(?:\s+(?:or|and)\s+(?P<v2>{_VACT}))?\s+(?:{_ANOTHER}\s+)?{_Q}{_NUM}"
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
_OPS_WORDS = _re(r"\b(?:operations?|missions?|raids?|D-?ISIS|Defeat[- ]ISIS)\b")
_SENTENCE_INSIDE, _LETTERS = re.compile(r"[.!?]\s+[A-Z]"), re.compile(r"[A-Za-z]{2}")
# A side clause: a parenthesis, or a clause set off by a comma that describes some of what the sentence
# counts ("The operations, which included two raids in Iraq, resulted in ..."). A country named there
# scopes only the counts inside it.
_SOME_OF = (r"(?:some|most|many|several|part|half|all|none|one|two|three|four|five|[0-9]+)\s+of\s+"
            r"(?:them|which|whom|these|those|the\s+\w+)")
_SIDE_CLAUSE = _re(r"\([^()]*\)|,\s*(?:which|who|whom|where|including|included|includes|among\s+(?:them|which|whom)|"
                   rf"{_SOME_OF}|mostly|mainly|largely|primarily|chiefly|with\s+{_SOME_OF})\b"
                   r"[^,;()]*?(?=,|;|(?<!U\.S)\.\s|\.?$)")
_ANOTHER_BEFORE = _re(rf"\b{_ANOTHER}\s+(?:(?:{_QWORDS})\s+)?$")
_HAS_NOUN = _re(rf"\b(?:{_NOUN}|{_LEADER}|others|more)\b")
_PAIR_GAP = _re(r"[\s,]*(?:and|as\s+well\s+as|while|with)?[\s,]*")
_LEADER_WORDS = _re(rf"\b{_LEADER}\b")
_PEOPLE_NOUN = _re(rf"\b(?:{_NOUN}|{_LEADER})\b")
# Groups that are not ISIS: a count of theirs is not ISIS killed or detained
_OTHER_GROUP = _re(r"\b(?:Hurras\s+al-?Din|al-?Qa'?ida|AQ|HTS|Hayat\s+Tahrir|Hizball?ah|Hezboll?ah|Houthis?|"
                   r"Iran(?:ian)?-(?:backed|aligned)|militias?|Kata'?ib|PKK)\b")
_CLAUSE_END, _GAP = re.compile(r"[.;:]\s"), re.compile(r"[\s,;:()-]*")
_SENTENCE_END = re.compile(r"[.!?][\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])")
_ABBREV = {"u.s", "gen", "lt", "col", "maj", "adm", "sgt", "capt", "cmdr", "brig", "fla", "mr", "mrs", "ms", "dr",
           "st", "no", "jr", "sr", "vs", "etc", "inc", "dept", "gov", "jan", "feb", "mar", "apr", "jun", "jul",
           "aug", "sep", "sept", "oct", "nov", "dec", "e.g", "i.e"}

# --------------------------------------------------------------------------- small helpers

def _number(text: str) -> int:
    word = " ".join(text.lower().split())
    if word[0].isdigit():
        return whole_number(word.replace(",", ""))  # a limit, not a crash (vocab.MAX_VALUE)
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
