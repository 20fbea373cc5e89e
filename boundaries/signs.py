"""Signs of control or danger in what someone writes into a boundary (issue 15).

A boundary that mentions being followed, blocked in or kept from going out, watched (phone,
accounts, location, apps, cameras, being recorded, calls again and again), kept short of money
or from work, cut off from friends, family, one's phone or papers, threatened (a weapon
included) or intimidated (things broken, shouting in one's face, driving to scare), intimate
images shared, hurt, pressured into sex or kept from birth control is not a wording problem:
a limit alone may not keep someone safe, and setting one can make things worse. The wording
check (wording.py) answers such a boundary first with a gentle note about safety instead of
a rewrite.

The patterns read text folded by core.text.normalise (lower case, no accents, straight
apostrophes). Most describe the partner acting on "me" or "my": those are skipped when
the nearest person named before them is the writer ("I'll stop checking my phone at
dinner", "I take my keys and go"). Patterns that describe how the writer is treated
("I feel threatened", "I was pushed") count whoever the sentence starts with.
"""

from __future__ import annotations

import re

from core.text import normalise

# What each sign is, in the order the note names them.
FOLLOWED = "followed"
BLOCKED = "blocked"
MONITORED = "monitored"
MONEY = "money"
ISOLATED = "isolated"  # kept from friends or family, or from one's passport and papers
THREATENED = "threatened"
INTIMIDATED = "intimidated"  # things broken, shouting in one's face, being cornered
IMAGES = "images"  # intimate images shared or sent on without consent
HURT = "hurt"
SIGNS = (FOLLOWED, BLOCKED, MONITORED, MONEY, ISOLATED, THREATENED, INTIMIDATED, IMAGES, HURT)

_ME = r"(?:me|my)"
_AWAY = r"(?:out|around|about|from|into|to|home|everywhere|outside|upstairs|downstairs|round)"
_DEVICES = (
    r"(?:phones?|mobile|cell|messages?|texts?|e-?mails?|inbox|chats?|dms|whatsapp|calls?"
    r"|call\s+log|location|whereabouts|social\s+media|browser|browsing|search\s+history"
    r"|history|laptop|computer|tablet|accounts?|bank\s+statements?|post|mail"
    r"|bags?|handbag|purse|wallet|pockets|drawers?|diary|journal|things)"
)
_LOOK = (
    r"(?:check(?:s|ed|ing)?|read(?:s|ing)?|go(?:es|ing)?\s+through|went\s+through"
    r"|look(?:s|ed|ing)?\s+(?:through|at|in|into)|search(?:es|ed|ing)?\s*(?:through)?"
    r"|monitor(?:s|ed|ing)?|track(?:s|ed|ing)?|spy(?:ing)?\s+on|spie[sd]\s+on"
    r"|snoop(?:s|ed|ing)?\s+(?:on|through|in)|scroll(?:s|ed|ing)?\s+through"
    r"|listen(?:s|ed|ing)?\s+(?:in\s+)?(?:to|on)|log(?:s|ged|ging)?\s+(?:in\s*to|on\s*to)"
    r"|sign(?:s|ed|ing)?\s+(?:in\s*to|on\s*to))"
)
_MONEY = (
    r"(?:money|cash|pay|payslip|wages?|salary|income|earnings|bank\s+cards?|cards?|finances"
    r"|benefits|bank\s+account|savings|spending|purchases?|receipts?|pay\s*checks?|pay\s*cheques?"
    r"|pensions?|wage\s+packets?)"
)
_KIN = (
    r"(?:friends?|family|mum|mom|mam|mother|dad|father|parents|sisters?|brothers?|relatives"
    r"|aunt|uncle|cousins?|grandparents|nan|gran|grandma|grandad|grandpa|colleagues|people)"
)
_PAPERS = (
    r"(?:passports?|visas?|papers|documents|id|id\s+cards?|birth\s+certificates?|residence\s+permits?"
    r"|(?:driving|driver'?s)\s+licen[cs]es?)"
)
_NEVER_LETS = (
    r"(?:won't|will\s+not|doesn't|does\s+not|didn't|did\s+not|wouldn't|would\s+not|never)\s+lets?"
)
_MANY_TIMES = (
    r"(?:(?:\d{2,}|twenty|thirty|forty|fifty|sixty|a\s+hundred|dozens\s+of|hundreds\s+of|so\s+many)"
    r"\s+times|again\s+and\s+again|over\s+and\s+over|non-?stop|constantly)"
)
_INTIMATE = (
    r"(?:nudes|naked\s+(?:photos?|pictures?|pics|videos?|images?)|intimate\s+(?:photos?|pictures?"
    r"|pics|videos?|images?)|sex\s+(?:tapes?|videos?)|private\s+(?:photos?|pictures?|pics|videos?))"
)
_PARTNER = r"(?:partner|husband|wife|boyfriend|girlfriend|spouse|fiance|fiancee|ex|other\s+half)"
# Where a hand can hurt; not "leg" ("pulling my leg") nor "head" ("biting my head off").
_BODY = r"(?:arms?|wrists?|hair|neck|throat|face|jaw|shoulders?|breasts?|chest)"
_CANNOT = r"(?:can't|cannot|can\s+not|couldn't|could\s+not)"
_WEAPON = r"(?:knife|knives|gun|guns|weapons?|blade|rifle|shotgun|hammer|axe|machete)"
_SCARE = r"(?:scare|frighten|intimidate|terrify)"

# Active patterns: the partner does this to the writer. Skipped when the writer is the
# nearest person named before the match.
_ACTIVE: dict[str, tuple[str, ...]] = {
    FOLLOWED: (
        rf"\bfollow(?:s|ed|ing)?\s+me\s+{_AWAY}\b",
        r"\bcom(?:e|es|ing)\s+after\s+me\b",
        r"\b(?:turn|show)(?:s|ed|ing)?\s+up\s+(?:at|outside)\s+(?:my|where)\b",
        r"\bwait(?:s|ed|ing)?\s+(?:for\s+me\s+)?outside\s+my\b",
        r"\b(?:sit|sits|sat|sitting|park(?:s|ed|ing)?|lurk(?:s|ed|ing)?|hang(?:s|ing)?\s+around"
        r"|hung\s+around)\s+(?:\w+\s+)?outside\s+(?:my|where\s+i)\b",
        r"\bstalk(?:s|ed|ing|er)?\b",
    ),
    BLOCKED: (
        r"\bblock(?:s|ed|ing)?\s+(?:the|my)\s+(?:door|doorway|way|exit|path|stairs|car)\b",
        r"\bstand(?:s|ing)?\s+in\s+(?:the|my)\s+(?:doorway|way)\b",
        r"\b(?:won't|will\s+not|doesn't|does\s+not|didn't|did\s+not|wouldn't|would\s+not"
        r"|never)\s+let(?:s)?\s+me\s+(?:leave|go\s+out|out|get\s+out|go\s+anywhere|drive"
        r"|use\s+the\s+car|go\s+(?:anywhere\s+)?(?:alone|on\s+my\s+own|by\s+myself))\b",
        r"\bstop(?:s|ped|ping)?\s+me\s+(?:from\s+)?(?:leaving|going\s+out|getting\s+out)\b",
        r"\block(?:s|ed|ing)?\s+me\s+(?:in|out)\b",
        r"\b(?:take|takes|took|taking|hide|hides|hid|hiding)\s+my\s+(?:car\s+|house\s+)?keys\b",
        r"\bkeep(?:s|ing)?\s+me\s+from\s+leaving\b",
        # Told they may not go out; left with no way out (the car taken, stranded)
        r"\b(?:tell(?:s|ing)?|told)\s+me\s+(?:that\s+)?i(?:\s+can't|\s+cannot|\s+can\s+not"
        r"|\s+mustn't|\s+must\s+not|'m\s+not\s+allowed\s+to|\s+am\s+not\s+allowed\s+to"
        r"|'m\s+not\s+to|\s+am\s+not\s+to)\s+(?:go\s+out|leave|go\s+anywhere|drive"
        r"|go\s+(?:to\s+)?(?:work|college|school|class|church|the\s+gym))\b",
        rf"\b(?:car|keys|phone|money|bus\s+fare)\b[^.;:!?\n]{{0,40}}?\bso\s+(?:that\s+)?i(?:'m|\s+am"
        rf"|\s+was|\s+get|\s+{_CANNOT}|\s+have\s+no\s+way\s+to)\s+(?:stuck|stranded|trapped"
        r"|go\s+out|leave|go\s+anywhere|get\s+out|get\s+away|get\s+to\s+work)\b",
        r"\b(?:leave|leaves|left|leaving)\s+me\s+(?:stuck|stranded|trapped)\b",
        r"\bstrand(?:s|ed|ing)?\s+me\b",
    ),
    MONITORED: (
        rf"\b{_LOOK}\s+(?:all\s+|through\s+)?my\s+(?:\w+\s+)?{_DEVICES}\b",
        r"\b(?:track|monitor)(?:s|ed|ing)?\s+me\b",
        r"\b(?:want|demand|ask|need)(?:s|ed|ing)?\s+(?:for\s+)?(?:all\s+)?my\s+pass(?:word|code)s?\b",
        r"\b(?:give|share|hand|tell)(?:s|ing)?\s+(?:over\s+)?(?:him|her|them|you)\s+my\s+"
        r"pass(?:word|code)s?\b",
        r"\bshar(?:e|es|ed|ing)\s+my\s+location\b",
        r"\b(?:get|gets|got|getting|see|sees|saw|seeing|watch(?:es|ed|ing)?|follow(?:s|ed|ing)?"
        r"|check(?:s|ed|ing)?|know(?:s)?)\s+my\s+(?:live\s+)?location\b",
        r"\b(?:see|sees|check|checks|know|knows|track|tracks|find\s+out|finds\s+out)\s+where\s+i"
        r"(?:\s+am|'m|\s+go|\s+was|\s+have\s+been|'ve\s+been)\b",
        r"\binstall(?:s|ed|ing)?\s+(?:\w+\s+){0,2}(?:on|onto|in)\s+my\s+"
        r"(?:phone|mobile|laptop|computer|tablet|car)\b",
        rf"\b(?:call|ring|phone|text|messag)(?:s|es|ed|ing|e)?\s+me\s+(?:up\s+)?{_MANY_TIMES}",
        # Recorded, filmed, watched by cameras, tracked with an app
        r"\b(?:record|film|video|tape)(?:s|ed|ing)?\s+me\b",
        r"\brecord(?:s|ed|ing)?\s+(?:all\s+)?my\s+(?:phone\s+)?(?:calls?|conversations?)\b",
        r"\b(?:put|puts|putting|install(?:s|ed|ing)?|set(?:s|ting)?\s+up|hid(?:e|es|ing|den)?"
        r"|plant(?:s|ed|ing)?)\s+(?:up\s+)?(?:\w+\s+){0,2}cam(?:era)?s?\s+(?:in|around|inside"
        r"|all\s+over|throughout)\s+(?:the|my|our)\s+(?:\w+\s+)?(?:house|home|flat|apartment"
        r"|bedroom|room|rooms|car|bathroom|kitchen|place)\b",
        r"\bcam(?:era)?s?\b[^.;:!?\n]{0,30}\bto\s+(?:watch|spy\s+on|check\s+(?:up\s+)?on"
        r"|keep\s+an\s+eye\s+on)\s+me\b",
        r"\b(?:find\s+my(?:\s+\w+)?|life360|apps?|trackers?|tracking|gps)\s+on\s+me\b",
        r"\bdemand(?:s|ed|ing)?\s+to\s+(?:know|see)\s+(?:where|who)\s+i\b",
    ),
    MONEY: (
        rf"\b(?:control(?:s|led|ling)?|tak(?:e|es|ing|en)|took|keep(?:s|ing)?|kept|hid(?:e|es|ing"
        rf"|den)?|withh(?:old|olds|olding|eld)|limit(?:s|ed|ing)?|ration(?:s|ed|ing)?)"
        rf"\s+(?:all\s+)?(?:of\s+)?(?:my|our|the)\s+(?:\w+\s+)?{_MONEY}\b",
        # Spent, emptied or handed over: the writer's own money, not "our spending"
        rf"\b(?:spend(?:s|ing)?|spent|empt(?:y|ies|ied|ying)|drain(?:s|ed|ing)?|blow(?:s|ing)?"
        rf"|blew)\s+(?:all\s+)?(?:of\s+)?my\s+(?:\w+\s+)?{_MONEY}\b",
        rf"\b(?:hand|give|sign|turn)(?:s|ed|ing)?\s+over\s+(?:all\s+)?(?:of\s+)?my\s+(?:\w+\s+)?"
        rf"{_MONEY}\b",
        rf"\b(?:give|gives|gave|giving)\s+(?:me\s+)?back\s+my\s+(?:\w+\s+)?{_MONEY}\b",
        rf"\blet\s+me\s+(?:have|keep|use|see)\s+my\s+own\s+(?:\w+\s+)?{_MONEY}\b",
        r"\b(?:loans?|credit(?:\s+cards?)?|debts?|overdrafts?|catalogues?|finance)\s+(?:out\s+)?"
        r"in\s+my\s+name\b",
        r"\b(?:get(?:s|ting)?|got)\s+me\s+(?:fired|sacked|the\s+sack|dismissed)\b",
        r"\b(?:give|gives|gave|giving)\s+me\s+(?:an?\s+)?(?:allowance|pocket\s+money)\b",
        rf"\b(?:check|question)(?:s|ed|ing)?\s+(?:every|all)\s+(?:of\s+)?(?:my\s+)?"
        rf"(?:{_MONEY}|penny|pound|dollar|cent|euro)\b",
        r"\bmake(?:s)?\s+me\s+(?:ask|beg)\s+for\s+money\b",
        r"\b(?:won't|will\s+not|doesn't|does\s+not|never)\s+let(?:s)?\s+me\s+"
        r"(?:have|spend|see|use|work|get\s+a\s+job|keep)\s+(?:any\s+|my\s+|our\s+)?"
        r"(?:money|cash|pay|wages|bank|card|job)\b",
        rf"\b{_NEVER_LETS}\s+me\s+(?:work|go\s+(?:back\s+)?to\s+work|get\s+a\s+job|have\s+a\s+job"
        r"|take\s+(?:a|the)\s+job|keep\s+my\s+job|study)\b",
        r"\bmake(?:s)?\s+me\s+(?:quit|leave|give\s+up)\s+my\s+(?:job|work|course)\b",
    ),
    ISOLATED: (
        rf"\b{_NEVER_LETS}\s+me\s+(?:see|visit|meet|call|phone|ring|text|talk\s+to|speak\s+to"
        rf"|go\s+out\s+with|spend\s+time\s+with)\s+(?:any\s+of\s+)?(?:my\s+)?{_KIN}\b",
        rf"\b(?:keep|keeps|kept|keeping|stop|stops|stopped|stopping)\s+me\s+(?:away\s+)?from\s+"
        rf"(?:seeing\s+|visiting\s+|calling\s+|talking\s+to\s+)?(?:any\s+of\s+)?my\s+{_KIN}\b",
        rf"\bstop(?:s|ped|ping)?\s+me\s+(?:seeing|visiting|calling)\s+my\s+{_KIN}\b",
        r"\bcut(?:s|ting)?\s+me\s+off\s+from\b",
        r"\bisolat(?:e|es|ed|ing)\s+me\b",
        rf"\b(?:keep|keeps|kept|keeping|take|takes|took|taking|hide|hides|hid|hiding|hold|holds"
        rf"|held|holding|lock(?:s|ed|ing)?\s+up)\s+(?:on\s+to\s+)?(?:all\s+)?my\s+{_PAPERS}\b",
        # The phone taken, the line cut, friends chosen for them
        r"\b(?:tak(?:e|es|ing|en)|took|hid(?:e|es|ing|den)?|keep(?:s|ing)?|kept|confiscat\w*"
        r"|lock(?:s|ed|ing)?\s+(?:up|away))\s+(?:away\s+)?my\s+(?:\w+\s+)?(?:phone|mobile|sim)\b",
        rf"\bso\s+(?:that\s+)?i\s+{_CANNOT}\s+(?:call|ring|phone|text|contact|reach|talk\s+to"
        r"|speak\s+to|message|get\s+help|get\s+hold\s+of)\b",
        r"\b(?:decid(?:e|es|ed|ing)|choos(?:e|es|ing)|chose|tell(?:s|ing)?|told|pick(?:s|ed|ing)?)"
        r"\s+(?:me\s+)?(?:who|whom|which\s+friends)\s+i\s+(?:can|can't|cannot|am\s+allowed\s+to"
        r"|may|should)\s+(?:see|meet|talk\s+to|speak\s+to|be\s+friends\s+with|text|call|visit"
        r"|go\s+out\s+with|spend\s+time\s+with)\b",
    ),
    THREATENED: (
        r"\bthreaten(?:s|ed|ing)?\b",
        r"\b(?:kill|hurt|harm|cut)(?:s|ing)?\s+(?:himself|herself|themselves|themself|yourself)\b",
        r"\b(?:hurt|harm|kill)(?:s|ing)?\s+(?:the|my|our)\s+"
        r"(?:kids|children|child|son|daughter|baby|dog|cat|pets?)\b",
        r"\btak(?:e|es|ing)\s+(?:the|my|our)\s+(?:kids|children|child|son|daughter|baby)\s+away\b",
        r"\btak(?:e|es|ing)\s+away\s+(?:the|my|our)\s+(?:kids|children|child|son|daughter|baby)\b",
        r"\bkill\s+me\b",
        rf"\b(?:he|she|my\s+{_PARTNER})\s+(?:\w+\s+)?(?:scares|frightens|terrifies)\s+me\b",
        r"\b(?:they|you)\s+(?:\w+\s+)?(?:scare|frighten|terrify)\s+me\b",
        rf"\b{_WEAPON}\s+(?:at|on|to|against|near|in\s+front\s+of)\s+(?:me|my)\b",
    ),
    INTIMIDATED: (
        r"\b(?:break|breaks|broke|breaking|smash(?:es|ed|ing)?|destroy(?:s|ed|ing)?"
        r"|wreck(?:s|ed|ing)?|trash(?:es|ed|ing)?|rip(?:s|ped|ping)?\s+up|burn(?:s|ed|t|ing)?"
        r"|throw(?:s|ing)?\s+out|threw\s+out|throw(?:s|ing)?\s+away|threw\s+away)"
        r"\s+(?:all\s+)?(?:of\s+)?my\s+(?:\w+\s+)?(?:things|stuff|belongings|possessions|phone"
        r"|clothes|laptop|glasses|property|car|presents|photos)\b",
        r"\b(?:scream|yell|shout|swear|roar)(?:s|ed|ing)?\s+(?:right\s+)?in(?:to)?\s+my\s+face\b",
        r"\b(?:get|gets|got|getting)\s+(?:right\s+)?(?:up\s+)?in\s+my\s+face\b",
        r"\b(?:stand|stands|stood|standing|tower(?:s|ed|ing)?|loom(?:s|ed|ing)?)\s+over\s+me\b",
        r"\bcorner(?:s|ed|ing)?\s+me\b",
        rf"\b(?:to|just\s+to|on\s+purpose\s+to|so\s+as\s+to)\s+{_SCARE}\s+me\b",
        r"\b(?:driv(?:e|es|ing)|drove)\s+(?:\w+\s+)?(?:recklessly|dangerously|like\s+a\s+maniac)\b",
    ),
    IMAGES: (
        rf"\b(?:shar|post|send|sent|spread|show|upload|leak|forward)\w*\s+(?:around\s+|on\s+)?"
        rf"(?:my|our)\s+{_INTIMATE}",
        rf"\b(?:shar|post|send|sent|spread|show|upload|leak|forward)\w*\s+{_INTIMATE}\s+of\s+me\b",
    ),
    HURT: (
        r"\b(?:hit|hits|hitting|slap\w*|punch\w*|kick(?:s|ed|ing)?|shov\w*|grab(?:s|bed|bing)?"
        r"|chok(?:e|es|ed|ing)|strangl\w*|shak(?:e|es|ing)|shook|bit(?:e|es)?|spit(?:s|ting)?\s+(?:at|on)"
        r"|spat\s+(?:at|on)|pin(?:s|ned|ning)?)\s+me\b",
        r"\b(?:spit(?:s|ting)?|spat)\s+in\s+my\s+face\b",
        rf"\b(?:grab\w*|yank\w*|twist(?:s|ed|ing)?|squeez\w*|pinch\w*|slap\w*|punch\w*"
        rf"|hit(?:s|ting)?|kick(?:s|ed|ing)?|chok(?:e|es|ed|ing)|strangl\w*|bit(?:e|es|ing)?"
        rf"|burn(?:s|ed|t|ing)?|pull(?:s|ed|ing)?(?:\s+on)?)\s+my\s+{_BODY}\b",
        r"\b(?:hold(?:s|ing)?|held)\s+me\s+down\b",
        # Sex and birth control: pressured, forced, tampered with
        r"\b(?:make|makes|made|making|pressur\w*|push(?:es|ed|ing)?|guilt(?:s|ed|ing)?|coerc\w*"
        r"|bull(?:y|ies|ied|ying)|nag(?:s|ged|ging)?)\s+me\s+(?:into\s+(?:having\s+)?|to\s+have\s+"
        r"|have\s+)?sex",
        r"\b(?:tak(?:e|es|ing)|took|pull(?:s|ed|ing)?|rip(?:s|ped|ping)?)\s+(?:the\s+|a\s+)?condoms?"
        r"\s+off\b",
        r"\b(?:hid(?:e|es|ing)?|throw(?:s|ing)?\s+away|threw\s+away|flush(?:es|ed|ing)?"
        r"|tamper(?:s|ed|ing)?\s+with|mess(?:es|ed|ing)?\s+with)\s+my\s+(?:birth\s+control"
        r"|contracepti\w+|pills?|coil|implant)\b",
        r"\b(?:make|makes|made|making|pressur\w*|forc(?:e|es|ed|ing))\s+me\s+(?:get\s+pregnant"
        r"|have\s+(?:a|an|the)\s+(?:baby|abortion)|keep\s+the\s+baby)\b",
        r"\bpush(?:es|ed|ing)?\s+me\s+(?:against|into|over|down|out|onto|off)\b",
        r"\bthrow(?:s|ing)?\s+(?:things|stuff)\b|\bthrew\s+(?:things|stuff)\b",
        r"\b(?:hurt|harm)(?:s|ing)?\s+me\s+physically\b",
        r"\b(?:punch|kick|smash|hit)(?:es|s|ed|ing)?\s+(?:the\s+)?(?:wall|walls|door|doors|things)\b",
    ),
}

# Passive patterns: how the writer is treated. They count whoever the sentence starts with.
_BEING = r"(?:i'm|i\s+am|i\s+was|i\s+feel|i\s+felt|i\s+get|i\s+got|being|been|i've\s+been)"
_PASSIVE: dict[str, tuple[str, ...]] = {
    FOLLOWED: (rf"\b{_BEING}\s+(?:\w+\s+)?(?:followed|stalked|tracked)\b",),
    BLOCKED: (
        rf"\b{_BEING}\s+(?:\w+\s+)?(?:blocked\s+in|locked\s+in|trapped|kept\s+in)\b",
        r"\b(?:i'm|i\s+am|i\s+was)\s+(?:not|never)\s+allowed\s+(?:to\s+)?(?:go\s+out|out|leave"
        r"|go\s+anywhere|drive)\b",
        r"\bpermission\s+(?:to|before\s+i)\s+(?:go|leave|drive)\b",
    ),
    MONITORED: (
        rf"\b{_BEING}\s+(?:\w+\s+)?(?:watched|monitored|spied\s+on|checked\s+up\s+on)\b",
        r"\b(?:stalkerware|spyware|tracker|tracking\s+app|airtag)s?\b",
        r"\blocation\s+(?:sharing|tracking)\b",
        r"\b(?:hidden|secret|spy)\s+cam(?:era)?s?\b",
        r"\bprove\s+(?:where|who)\s+i\b|\bproof\s+of\s+where\s+i\b",
    ),
    MONEY: (
        r"\bdebts?\s+in\s+my\s+name\b",
        r"\b(?:i|i've)\s+(?:have|had|got)\s+to\s+(?:ask|beg)\s+(?:him|her|them|you)\s+for\s+"
        r"(?:money|cash|every\s+penny)\b",
        rf"\b(?:i|i've)\s+(?:have|had|got)\s+to\s+(?:hand|give|sign|turn)\s+over\s+(?:all\s+)?"
        rf"(?:of\s+)?my\s+(?:\w+\s+)?{_MONEY}\b",
        r"\bpermission\s+(?:to|before\s+i)\s+(?:spend|buy)\b",
    ),
    ISOLATED: (
        rf"\b(?:i'm|i\s+am|i\s+was|i'm\s+never|i\s+am\s+never)\s+not\s+allowed\s+to\s+(?:see|visit"
        rf"|call|talk\s+to)\s+(?:my\s+)?{_KIN}\b",
        rf"\bpermission\s+(?:to|before\s+i)\s+(?:see|visit|meet|call|talk\s+to)\s+(?:my\s+)?{_KIN}\b",
    ),
    IMAGES: (r"\brevenge\s+porn\b|\bsextortion\b|\bintimate\s+image\s+abuse\b",),
    THREATENED: (
        rf"\b{_BEING}\s+(?:\w+\s+)?(?:threatened|intimidated)\b",
        r"\bthreats?\b",
        r"\b(?:afraid|scared|frightened|terrified)\s+of\s+(?:(?:him|her|them|you)\b(?!\s+\w+ing\b)"
        r"|what\s+(?:he|she|they|you)(?:'ll|\s+will|\s+might|\s+could|\s+would)\s+do\b"
        rf"|my\s+{_PARTNER}\b)",
        r"\bsuicide\b|\bsuicidal\b",
    ),
    HURT: (
        rf"\b{_BEING}\s+(?:\w+\s+)?(?:hit|slapped|punched|kicked|shoved|grabbed|choked"
        r"|strangled|beaten|attacked|assaulted|raped)\b",
        r"\bbruis(?:e|es|ed|ing)\b",
        r"\bforc(?:es|ed|ing)\s+me\b",
        r"\bforce\s+me\s+(?:into|to\s+have)\s+sex\b",
        r"\bsex\s+(?:that\s+)?i\s+(?:didn't|did\s+not|don't|do\s+not)\s+want\b",
        r"\b(?:sex|touch(?:es|ed|ing)?\s+me)\b[^.;:!?\n]{0,30}\b(?:when|after|even\s+(?:though|when|if)"
        r"|though|if)\s+i(?:'ve)?\s+(?:say|said|says)\s+no\b",
        r"\bstealthing\b|\b(?:holes?\s+in|sabotag\w*|tamper\w*\s+with)\s+(?:the\s+|my\s+)?condoms?\b",
        r"\bphysically\s+(?:hurt|harm|violent|rough)\w*\b",
    ),
}


def _compile(patterns: dict[str, tuple[str, ...]]) -> dict[str, re.Pattern[str]]:
    """One pattern per sign; a sign with none gets one that never matches (not ``""``)."""
    return {
        sign: re.compile("|".join(f"(?:{p})" for p in patterns.get(sign, ())) or r"(?!)")
        for sign in SIGNS
    }


_ACTIVE_RE = _compile(_ACTIVE)
_PASSIVE_RE = _compile(_PASSIVE)

# The people a clause can name; the last one named before a match is taken as its subject.
# "Me" is left out: before the match it is someone's object ("he makes me share my location").
_PERSON = re.compile(
    rf"\b(?:i|i'm|i'll|i've|i'd|we|we're|we'll|we've|we'd|us|let's|you|you're|you'll|he|he's|he'll|she|she's|she'll"
    rf"|they|they're|they'll|him|her|them|it|my\s+{_PARTNER})\b"
)
# "We" and "us" plan together; "it" is a thing ("it hit me that …", "it follows me").
_WRITER = {"i", "i'm", "i'll", "i've", "i'd", "it"} | {
    "we",
    "we're",
    "we'll",
    "we've",
    "we'd",
    "us",
    "let's",
}
_CLAUSE_END = re.compile(r"[.;:!?\n]")


def _by_writer(text: str, start: int) -> bool:
    """Whether the nearest person named before *start*, in the same sentence, is the writer."""
    sentence_start = max((m.end() for m in _CLAUSE_END.finditer(text, 0, start)), default=0)
    people = _PERSON.findall(text, sentence_start, start)
    return bool(people) and people[-1] in _WRITER


def safety_signs(text: str) -> list[str]:
    """Return the signs of control or danger that *text* mentions, in SIGNS order."""
    if not text or not text.strip():
        return []
    folded = normalise(text)
    found = []
    for sign in SIGNS:
        if _PASSIVE_RE[sign].search(folded) or any(
            not _by_writer(folded, match.start()) for match in _ACTIVE_RE[sign].finditer(folded)
        ):
            found.append(sign)
    return found
