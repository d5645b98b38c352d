"""Statement cues: what words say about a sentence, before any model is asked.

Cheap, linear regular expressions: whether an article speaks of negotiation at
all (:func:`mentions_negotiation`, English only; other languages go to the
model), which sentences may hold an offer, a future step or any statement
worth asking about (:func:`candidate_sentences`), the article's own words for
when a step happens (:func:`when_phrase`), a statement's text without its
attribution (:func:`statement_text`), how a sentence answers an offer just
reported (:func:`response_cue`), who a sentence says is speaking
(:func:`speaker_of`, also after a quotation), whether a sentence goes on with
the last speaker's words (:func:`continues_speech`), where its verbs of
offering or pressing are (:func:`offering_at`, :func:`wanting_at`) and the
amounts that identify an offer (:func:`figures`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from summariser.segment import Segment

__all__ = [
    "EXPERT_WORDS",
    "OFFER",
    "TERMS_GAP",
    "CONTRAST",
    "FUTURE",
    "BOTH_AGREED",
    "mentions_negotiation",
    "negotiation_words",
    "looks_english",
    "offer_sentences",
    "future_sentences",
    "candidate_sentences",
    "when_phrase",
    "figures",
    "statement_kind",
    "status_cue",
    "response_cue",
    "other_speaker",
    "offering_at",
    "commentator",
    "continues_speech",
    "opens_with_quote",
    "more_terms",
    "offer_clause",
    "terms_noun",
    "wanting_at",
    "speaker_of",
    "talks_event",
    "together",
    "statement_text",
    "agreement_clause",
    "answer_beside",
    "opens_as_terms",
    "crowd_opens",
]

# A step told in the present tense of a timetable: "The survey closes on Wednesday", "Talks resume on Monday".
_SCHEDULED = (
    r"\b(?:survey|ballot|vote|poll|consultation|talks|round|deadline|strike|walkout|session|summit|mandate|truce|"
    r"ceasefire)s? (?:closes|opens|ends|expires|resumes?|begins?|starts?|runs)(?: \w+){0,3}? (?:on|at|next|this|tomorrow|"
    r"in (?:January|February|March|April|May|June|July|August|September|October|November|December))\b|"
    # "announced two more 48-hour strikes for Dec. 13-14", "have called a national day of protest for Oct. 10"
    r"\b(?:announced|called)\b[^.;]{0,40}?\b(?:strikes?|walkouts?|stoppages?|protests?|days? of (?:protest|action))\s+"
    r"(?:for|on|from)\s+(?=[A-Z0-9])"
)
OFFER = re.compile(
    r"\b(propos|offer|suggest|agree|accept|reject|plan\b|plans\b|deal|swap|exchange|put forward|tabled|"
    r"call(ed|s)? for|compromise|draft|framework|package|deadline|pledg|promis|commit|demand|ceasefire|truce|"
    r"bid\b|bids\b|signed|sign\b|approv|endors|back(ed|s)?\b|terms|conditions?\b|memorand|contract|settlement|accord)",
    re.IGNORECASE,
)
FUTURE = re.compile(
    r"\b(will|would|shall|next|plan|plans|planned|expect|expected|scheduled|due|set to|to be held|to meet|"
    r"call(ed|s)? for|urged?|before|by the end|deadline|later|upcoming|continue|resume|return|intend|"
    r"aim|hope|should|must|agreed to|going to|tomorrow|coming (days|weeks|months)|decided to|intends? to|"
    r"promised to|likely to|soon|(?:to|may|will) be \w+ed|(?:has|have) until|"
    # "The committee is to hold its first meeting", not "the purpose of the talks is to guarantee"
    r"(?:is|are) to (?:hold|meet|begin|start|resume|reconvene|vote|sign|return|report|decide|present|visit|travel|"
    r"be held|take place))\b|" + _SCHEDULED,
    re.IGNORECASE,
)
BOTH_AGREED = re.compile(
    r"\b(both|the two|the) (sides|parties|delegations|governments|teams|countries)\b[^.;]*\bagree",
    re.IGNORECASE,
)
# Someone states, wants or refuses something: where positions are.
_STANCE = re.compile(
    r"\b(said|says|say|told|tell|added|stated|insist\w*|want\w*|warn(?:s|ed|ing)?|demand\w*|refus\w*|reject\w*|"
    r"call(ed|s)? for|urg\w*|seek\w*|sought|push\w*|press\w*|condition\w*|red lines?|must|need\w*|"
    r"oppos\w*|object\w*|vow\w*|pledg\w*|threat\w*|ready to|willing to|prepared to|open to|non-negotiable|"
    r"position|stance|argu\w*|accus\w*|blam\w*|welcom\w*|support\w*|back\w*|criticis\w*|described)\b",
    re.IGNORECASE,
)
# A threat tied to the other side's answer: "he would withdraw the ministry's offer if the union turned it down".
_THREAT = r"(?:would|will) (?:retract|withdraw|pull|scrap|cancel|suspend|retaliate|impose|walk away|lock out)\b[^.;]{0,80}\bif"
# A threat in a side's words: "If there is no contract by midnight, there will be no gas".
_IF_THREAT = re.compile(
    r"\bif\b[^.;,]{0,80}\b(?:no|not|n't|never|refuses?|rejects?)\b[^.;,]{0,60},\s*(?:then\s+)?(?:there|we|they|it|he|she)\s+"
    r"(?:will|would|shall)\s+(?:be\s+no\b|not\b|stop|halt|cut|strike|walk|suspend|retaliate|impose|withdraw|pull)",
    re.IGNORECASE,
)
# What kind of statement a sentence reports (see :func:`statement_kind`).
# These are stricter than OFFER, FUTURE and _STANCE above, on purpose: those
# only decide where an item may stand (grounding, candidates) and must let
# every true one through; these decide what a sentence states.
_DEMAND = re.compile(
    r"\b(demand\w*|insist\w*|want\w*|call(ed|s|ing)? for|refus\w*|reject\w*|must|red lines?|"
    r"(?:pre)?conditions? (?:for|on|that|of)|on condition|preconditions?|"
    r"won't|will not|would not|(?:will|would|could) [\"“]?never|only if|cannot|can't|not up for negotiation|non-negotiable|seek\w*|sought|urg\w*|"
    r"press(ed|ing)? for|push(ed|ing)? for|h(?:e|o)ld(?:ing)? out for|oppos\w*|warn(?:s|ed|ing)?|need\w*|should|ready to|willing to|prepared to|"
    r"position|stance|accus\w*|ruled? out|rules out|favou?r(s|ed)?|threaten\w*|argu(e|es|ed)|determined to|"
    r"priorit(y|ies)|sticking point|unacceptable|non-starters?|deal-?breakers?|(?:is|was|are|were|remains?) open to|(?:remains?|is|are|stays?) committed to|"
    r"(?<!to )ask(?:s|ed|ing)? for|press(?:ed|es|ing)? (?:[\w'’-]+ ){1,3}?to\b|(?:not|never) on the table|off the table|"
    r"only (?:after|once|when)\b|(?:support|backing|approval|vote) (?:depends|depended|(?:is|was) conditional) on|pressur(ed|ing)|reluctan(t|ce)|hail(s|ed)?|"
    r"(?:could|can) (?:only )?(?:accept|live with)|(?:could not|cannot|can't) afford|not going to|"
    r"(?:would|will|could) only (?:be )?(?:accept|agree|sign|consider)\w*|"
    rf"{_THREAT})\b",
    re.IGNORECASE,
)
# Words of wanting or refusing that state no demand: "I want to thank President Trump", "I cannot understand",
# a demand dropped.
_COURTESY = re.compile(
    r"\b(?:wants?|wanted|would like) to (?:thank|congratulate|say|express|acknowledge|pay tribute|stress|emphasi[sz]e)\b|"
    r"\b(?:cannot|can['’]t|could not|couldn['’]t) (?:understand|imagine|believe|comment|confirm|say|see why|recall)\b|"
    # "the studios had dropped a demand that...": a demand given up is none
    r"\b(?:dropped|abandoned|withdrew|withdrawn|gave up|given up|scrapped|shelved)\s+(?:a|an|its|their|the|his|her)\s+"
    r"(?:[\w-]+\s+)?demands?\b",
    re.IGNORECASE,
)
# Wanting comes first: "Hamas wanted a guarantee that operations would not resume" is a demand, not a step.
_WANTS_FIRST = re.compile(
    r"\b(want(s|ed)?|demand(s|ed)?|insist(s|ed)?|sought|seek(s|ing)?|call(s|ed)? for|refus(e|es|ed)|"
    r"determined to)\b",
    re.IGNORECASE,
)
# A side judging an offer on the table states its position: "the board said the offer from X poses risks".
_JUDGES_OFFER = re.compile(
    r"\b(said|says|argued|argues|called|calls|reiterated|insisted)\b(?: (?:in|on) (?:a|an|the) \w+)?(?: that)? "
    r"(?:the|its|this|their|his|her|[A-Z]\w+['’]s) "
    r"(?:\w+ ){0,3}?(offer|bid|deal|proposal|plan|merger agreement)\b(?: \w+){0,6}? (is|was|were|poses|does|involves|"
    r"remains|offers|had|has|would)\b",
    re.IGNORECASE,
)
# Calling a deal something in quotation marks: "called the company's merger agreement \"superior\"".
_NAMES_OFFER = re.compile(
    r"\b(?:called|calls|described|describes|branded|brands|hailed|hails)\s+(?:the|its|this|that|their|his|her|our|"
    r"[\w'’]+['’]s)\s+(?:[\w'’-]+\s+){0,3}?(?:offer|bid|deal|proposal|plan|agreement|accord|package)\s+(?:as\s+)?"
    r"(?:an?\s+)?[\"“]",
    re.IGNORECASE,
)
# A sentence about an offer already on the table, judging it: '"However, this offer does nothing for pay."'
_OFFER_JUDGED = re.compile(
    r"\W*(?:However,?\s+|But\s+|And\s+)?(?:the|this|that|its|our|their|[A-Z]\w+['’]s)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:offer|deal|bid|proposal|plan|package)\s+(?:does|did|poses|remains|fails|falls|"
    r"would not|will not|does not|did not)\b",
    re.IGNORECASE,
)
# Words of refusing to do something: "would not", "cannot", "refused to".
_REFUSE_WORDS = r"(?:would not|will not|won['’]t|could not|cannot|can['’]t|refus\w* to)"
# A side judging its own offer: '"The offer we made is the best the country can afford"', '"We made a strong
# offer that reflected..."' (not '"We made an offer of 5 percent"', which reports the offer).
_OWN_OFFER_JUDGED = re.compile(
    r"\b(?:(?:offer|proposal|bid|package)\s+(?:(?:that\s+)?(?:we|they|I)\s+(?:have\s+)?(?:made|put forward|tabled)\s+)?"
    r"(?:is|was|remains)\s+(?:still\s+)?(?:the|a|an|our|their)?\s*(?:very\s+)?|(?:we|I)\s+(?:have\s+)?(?:made|put forward|tabled)"
    r"\s+(?:a|an|our)\s+(?:very\s+)?)(?:best|fair|final|generous|strong|good|reasonable|serious|credible)\b",
    re.IGNORECASE,
)
# Refusing what a sentence then names as a plan or offer: '"We cannot bring back a pension plan that..."'.
_REFUSES = re.compile(rf"\b{_REFUSE_WORDS}\b", re.IGNORECASE)
# A side judging an offer or deal by calling it something: "it is a serious offer", "This is a fair deal".
_CALLS_IT = re.compile(
    r"\b(?:it|this|that)(?:['’]s| is| was) (?:a|an|not a|not an) (?:[\w-]+ ){0,2}?(?:offer|deal|proposal|plan|bid)\b",
    re.IGNORECASE,
)
# Opposing what is on the table: "expressed their opposition to the proposed deal".
_OPPOSES = re.compile(r"\b(?:oppos\w*|criticis\w*|criticiz\w*|objects? to|objected to|condemn\w*|denounc\w*)", re.I)
# Demands put on the table as terms: "had tough demands for the Iranians, including that...", "sought
# amendments including a guarantee...", "conveyed to the Russian delegation a demand for...", "requested that...".
_TABLED_DEMAND = re.compile(
    r"\b(?:had|sought|conveyed|presented|submitted|delivered|handed|tabled|put forward|made)\b"
    r"(?:(?!dropped|withdr|abandon|grant)[^.;]){0,60}?"
    r"\b(?:demands?|amendments?|requests?)\s+(?:for|including|that)\b|\brequested\s+(?:that\s+)?(?:any|the|a)\b|"
    r"\basked\s+(?:[A-Z][\w'’-]*\s+){1,3}to\s+(?:buy|pay|cut|lift|open|reduce|release|accept|raise|import)\b[^.;]{0,60}?\d",
    re.IGNORECASE,
)
# Refusing to move on an offer: "the government would not improve the offer further".
_WONT_MOVE = re.compile(
    rf"\b{_REFUSE_WORDS}\s+(?:\w+\s+){{0,2}}?"
    r"(?:improve|increase|raise|sweeten|change|reopen|revise|better|accept)\b",
    re.IGNORECASE,
)
# Someone putting something on the table, as a verb.
_OFFERING = re.compile(
    # "offers" as a noun ends its phrase: "the Netflix and Paramount offers.", "offers from both".
    r"\b(offered|offers(?!\s*(?:[.,;:)]|$|\b(?:from|of|by|for|are|were|is|was|have|had|on)\b))|propos(e|es|ed|ing)|put forward|tabled|launched|submitted|presented|suggest(s|ed)|"
    r"circulat(es|ed)|unveil(s|ed)|floated|(?:handed|sent|gave|delivered|carried|brought|took) (?:[\w'’-]+ ){0,4}?an? (?:\w+ )?"
    r"(?:offer|proposal|plan|memorandum|draft)|(?:raised|improved|sweetened|increased|lifted|upped|revised|boosted) "
    r"(?:its|their|his|her|the) (?:\w+ )?(?:offer|bid|proposal)|(?:made (?:[\w'’-]+ ){0,5}?|opened with |came back with |returned with |countered with )an? (\w+ )?"
    r"(?:offer|proposal|bid|plan|price|counter-?offer|counterproposal))\b",
    re.IGNORECASE,
)
# More of the offer just told, with the offer as subject: "It would also extend entry-level contracts...".
_IT_ALSO = re.compile(r"\W*It\s+(?:would|will)\s+also\b")
# An offer or term and, in apposition, a side's answer to it.
_ANSWER_BESIDE = re.compile(
    r",\s+(?:(?:a|an)\s+(?:[\w-]+\s+){0,2}?(?:change|demand|term|provision|clause|condition|idea|step|mechanism|plan|"
    r"proposal|arrangement)\s+(?:that\s+)?|which\s+)"
    r"(?:the\s+)?(?:[\w'’-]+\s+){1,4}?(?:(?:has|have|had)\s+)?(?:(?:said|says|made clear)\s+(?:it|they)\s+)?"
    r"(?:(?:will|would|could|can)\s*not\s+accept|(?:has\s+|have\s+)?(?:rejected|rejects|refused|refuses|opposes|opposed)|"
    r"(?P<yes>accepted|accepts|agreed to|backed|welcomed|endorsed))\b",
    re.IGNORECASE,
)
# How many sentences after an offer, a deal or one of its terms more of its terms may be told.
TERMS_GAP = 5
# What an offer or deal holds, told after it: "will also rise by 250", "would cut its tariffs to zero".
_TERMS_MODAL = re.compile(r"\b(?:will|would)\b(?!\s+have\b)", re.IGNORECASE)
_QUOTE_MARK = re.compile(r"[\"“”]")
_IF_FIRST = re.compile(r"\W*(?:if|unless|once|when|without)\b", re.IGNORECASE)
# "But a 50% tariff would stay in place": what the offer or deal leaves out, not more of it.
_BUT_FIRST = re.compile(r"\W*(?:but|however|yet)\b", re.IGNORECASE)
# Steps in the talks themselves; not _TALKS_EVENT, whose "release", "exchange" and "deal" are what
# terms hold ("Hamas would release 10 hostages").
_STEP_WORDS = re.compile(
    r"\b(?:vote|ballot|meet\w*|resum\w*|reconven\w*|sign\w*|ratif\w*|survey|consult\w*|decid\w*|respond|"
    r"repl(?:y|ies)|consider|announc\w*|negotiat\w*|discuss\w*|talks|round)\b",
    re.IGNORECASE,
)
_ALSO = re.compile(r"\balso\b", re.IGNORECASE)
_AMOUNT = re.compile(r"\d|\bzero\b", re.IGNORECASE)
# A date's day or year, which is no amount a deal holds: "until Dec. 15", "by 2030".
_DATE_NUMBER = re.compile(
    r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}\b|\b(?:in|by|until|from) (?:19|20)\d\d\b"
)
# Giving something on a condition is an offer: "was prepared to hand over the bodies ... if", "would free
# six hostages if"; not a threat ("prepared to retaliate with tariffs").
_GIVING = (
    r"(?:hand over|release|free|return|withdraw|pull back|pull out|lower|drop|give|pay|lift|suspend|halt|exchange|swap|"
    r"keep (?:\w+ing)|continue|cut|reduce|raise|increase|extend|grant|open|cap)"
)
_OFFERS_IF = re.compile(
    rf"\b(?:(?:prepared|ready|willing|offered) to|would) {_GIVING}\b[^.;]{{0,120}}?(?<!\bonly )\b(?:if|provided|as long as|in "
    r"return for|in exchange for|on condition)\b|"
    # "would be willing to supply electricity to the North": giving outright is an offer
    r"\b(?:prepared|ready|willing) to (?:supply|provide|give|hand over|release|free|pay|grant|lift|transfer|deliver)\b|"
    # "the federation could go to 4 percent if ...": how far a side would move, with its figure
    r"\b(?:could|would|can) (?:go|move|rise|come) (?:up |down )?to\s+(?:[$€£]\s?)?\d|"
    # "was prepared to cut its farm support to $22 billion a year": a figure given is an offer
    rf"\b(?:is|was|are|were|is now|was now)\s+(?:prepared|ready|willing) to {_GIVING}\b[^.;]{{0,80}}?(?:\bto\s+|\s)(?:[$€£]\s?)?\d",
    re.IGNORECASE,
)
# A side's own quoted words that deny or set one thing against another: '"Loans are not finance, they are
# debt"', '"There is no peace while our villages are occupied"'.
_QUOTED = re.compile(r"\W*[\"“]([^\"”]{1,400})[\"”]")
_DENIES = re.compile(
    r"\b(?:is|are|was|were) not (?!(?:yet|there|clear|known|expected|due|the first|a party|part)\b)|"
    r"\bthere (?:is|can be|will be) (?:no\b|nothing to (?:discuss|talk about|negotiate))",
    re.IGNORECASE,
)
_THAN = re.compile(
    r"\bthan\s+(?:the|its|their|what|[A-Z])[^,.;:\"“”]{0,60}?\b(?:has|had|have|was|were)\s+(?:\w+\s+)?(?:proposed|offered|agreed|sought|demanded)\b"
)
# A side calling the deal something in its own words: '"This contract is a down payment on the future."'
_DEAL_IS = re.compile(
    r"\b(?:this|the|our|that) (?:new )?(?:deal|contract|agreement|accord|settlement) (?:is|was) (?:a|an|not|the)\b",
    re.IGNORECASE,
)
_BUT = re.compile(r",?\s+but\s+", re.IGNORECASE)
_AND_THEN = re.compile(r",?\s+and\s+(?:then\s+|instead\s+)?", re.IGNORECASE)
# Where a sentence sets one clause against another: "Ukraine wants X, while Russia...", "..., but bondholders...".
CONTRAST = re.compile(r"[,;]\s+(?:while|whereas|but)\s+|;\s+")
# An answer with its reason states where the side stands: "rejected the price, saying it could pay no more than".
_BECAUSE = re.compile(r",\s+(?:saying|arguing|insisting|because)\b", re.IGNORECASE)
# The offer as the cause of what is told: "... may be averted after ministers offered".
_AFTER = re.compile(r"\bafter\s+(?:[\w'’.-]+\s+){1,6}$", re.IGNORECASE)
_TERMS = re.compile(
    r"\s*(?:Under|Under the terms of) (?:the|this|that|their) (?:\w+ )?(agreement|deal|accord|settlement|plan|offer|proposal)\b",
    re.IGNORECASE,
)
# What the deal or offer just reported holds: "The deal also includes...", "The plan is believed to include...".
_TERMS_OF = re.compile(
    # "The guild said the agreement includes...": told by a side, still what the deal holds.
    r"\W*(?:(?:The|This|That|Its|Their|His|Her)|[A-Z][^,;:\"“”]{0,60}? (?:said|says|added)(?: that)? (?:the|this|that|its|their|his|her)) (?:(?:new|latest|revised|improved|final|proposed|draft|\w+-day|"
    r"\w+-year) )*(?P<noun>offer|plan|proposal|package|deal|draft|framework|agreement|accord|text)\b"
    # "The deal, reached in the border town of Mirel under ..., also commits": past an aside
    r"(?! (?:from|by|of|with)\b)(?:,[^,;:\"“”]{1,100},)?(?: (?:also|reportedly|would|will|is believed to|is expected to|is said to|"
    r"is understood to|does|did))* (?:includes?|included|contains?|provides?|covers?|sets? out|says?|said|commits?|"
    r"calls? for|called for|requires?|foresees|envisages|include|offers)\b"
)
# A part of the deal just reported, or its text told after what it holds: "Under the first phase, the
# group would free 18 hostages", "Forces would pull back from the valley, the draft says."
_PHASE = re.compile(
    r"\W*Under (?:the|this|that|its|their) (?:[\w-]+ )?(?:phase|stage|outline|draft|framework|terms|programme|program|arrangement|extension|text|truce|ceasefire|pact|treaty)\b",
    re.I,
)
_TERMS_SAY = re.compile(
    r",\s+(?:the|this|that) (?:\w+ )?(?:draft|deal|plan|agreement|accord|proposal|text|outline) (?:says|said|states|stated)\W*$",
    re.IGNORECASE,
)
_OFFER_WORDS = re.compile(
    r"\b(offer\w*|propos\w*|(?<!in a )bids?\b(?! to)|put forward|tabled|plans?\b(?! (?:to|his|her|its|their|a|an|the|on)\b)|"
    r"draft|framework|package|compromise|suggest\w*|pledg\w*|memorand\w*|(?<!on )(?<!news)paper)\b",
    re.IGNORECASE,
)
_AGREED = re.compile(
    r"\b(agreed|did agree|signed|initiall?ed|struck|reached (a|an|the) ([\w-]+ ){0,3}?(deal|agreement|accord|contract|settlement)|sealed|settled|clinched|"
    r"finali[sz]ed|approved)\b",
    re.IGNORECASE,
)
# An earlier agreement named in passing, not agreed now: "a memorandum signed by both governments in October".
_PAST_AGREEMENT = re.compile(
    r"\b(?:memorandum|deal|agreement|accord|treaty|settlement|pact|truce|ceasefire|text|contract|framework)\s+"
    r"(?:(?:it|they|we|he|she)\s+(?:had\s+|have\s+)?)?(?:signed|agreed|struck|sealed|reached)\s+(?:by|in|last|with|on|at|earlier)\b",
    re.IGNORECASE,
)
# A hedge just before the word of agreeing: "have not yet agreed", "if they signed", "would be signed".
_HEDGE_REACH = 30
# ("should come only after the two sides had agreed on a draft": a condition, not an agreement)
_HEDGED = re.compile(
    r"\b(?:not|no|yet to|if|would|could|should|unless|before|whether|only after|until|once)\b[^.;]{0,20}$|"
    # "would not give up ... until a final agreement is signed"
    r"\b(?:until|unless|once|before)\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,2}(?:agreement|deal|accord|treaty)\s+(?:is|are|has been)\s+$",
    re.IGNORECASE,
)
# An agreement on a thing, not to do something: "agreed on Friday to a six-month ceasefire", "reached a deal".
_AGREED_ON_A_THING = re.compile(
    r"(?:reached|struck|sealed|clinched)\b|(?:agreed|signed)\s+(?:(?:on|early on|late on)\s+\w+\s+)?(?:to|on|upon)\s+(?:a|an)\s",
    re.IGNORECASE,
)
_NOT_AGREED = re.compile(
    r"\b(not|no|yet to|if|would|could|unless|before|whether)\b.{0,20}\b(agreed|signed|accepted|struck|reached)",
    re.IGNORECASE,
)
# The sides themselves agreed: "both sides", "the two delegations", "the pair", "jointly".
_TOGETHER = re.compile(
    r"\b(both|the two|the three|all three|the pair|jointly|together|each other|all sides|joint statement|the sides|"
    r"the parties)\b",
    re.IGNORECASE,
)
_WILL = re.compile(
    r"\b(will|shall|would (?:then |also |now |soon )?(?:return|meet|resume|hold|reconvene|vote|visit|sign|travel|"
    r"publish|reply|respond|give its|begin|start|take place|be held|send|circulate|discuss|consider|present|follow|"
    r"table|decide|announce|brief|deliver|submit|study|review|examine|put|invite|convene|call(?! for| on))|promised to|"
    # "had been due to expire on Sept 30": a plan that is past.
    r"(?<!had been )(?:expected to|due (to|on|in|by)|scheduled (?:to|for|on|at|in)\b)|(?:has|have|had) until\b|expects to|is expected|are expected|set to|"
    # "Ankara plans to", not the noun: "rejected the government's plan to restructure its debt"
    r"(?<!['’]s )(?<!\bthe )(?<!\ba )(?<!\bits )(?<!\btheir )(?<!\bour )plans? to|planned to|"
    r"(?:has|have|had) decided to|(?:set|agreed|fixed) (?:themselves |itself |ourselves )?(?:a|the) deadline|(?<!was )(?<!were )asked\b(?! (?:whether|if|about)\b)[^.;]{0,80}?\bby (?=(?:Monday|Tuesday|Wednesday|"
    r"Thursday|Friday|Saturday|Sunday|tomorrow|the end|next|\d))|agreed to (?:meet|continue|resume|hold|reconvene|return)|"
    r"intends? to|to meet|would then|is to|are to|(?:will|would) try to|(?:give|gives|gave|given|giving) (?:[\w'’-]+ ){1,3}until\b|next (week|month|round|year|session)(?!['’]s)|later (this|today)|"
    r"upcoming|tomorrow|resume|reconvene|(?:is|are|was|were) likely to|"
    r"would be (?:negotiated|discussed|finali[sz]ed|worked out)|(?:to|may|will) be (?:negotiated|agreed|finali[sz]ed|signed|discussed|announced|held|decided|approved|ratified))\b|"
    + _SCHEDULED,
    re.IGNORECASE,
)
# Future markers that are only dates, and the words of a guess: "there could be a deal next week".
_DATE_ONLY = re.compile(r"next (?:week|month|round|year|session)|later (?:this|today)|tomorrow|upcoming", re.IGNORECASE)
_MAYBE = re.compile(r"\b(could|might|may)\b", re.IGNORECASE)
# A future that is a state or a forecast, not a step anyone takes.
_FUTURE_STATE = re.compile(
    r"\b(?:will|would)\s+(?:(?:also|now|once again|still|then|surely|probably)\s+)*(?:be\s+(?:key|crucial|critical|"
    r"important|vital|decisive|holding|watching|hoping|difficult|hard|tough|keen|looking|closely)|"
    r"have\s+(?:already\s+)?(?:had|been)|fail|collapse|succeed|survive|backfire)\b|\blikely to have\b|"
    # "No date has been set for the next round": no step yet.
    r"\bno (?:date|time|timetable)\b[^.;]{0,40}\b(?:set|fixed|agreed|announced|given)\b",
    re.IGNORECASE,
)
_EVENT = re.compile(
    r"\b(meet|talks|round|vote(?!rs)|referendum|ballot|visit|sign|return|resume|reconvene|decide|respond|deliver|submit|hold|"
    r"release|exchange|summit|session|deadline|repl(?:y|ies)|answer|consider|hearing|ratif|survey|consult|poll|"
    r"study|review|examin)\w*",
    re.IGNORECASE,
)
# Events only when still to come: "will engage in detail", not "the agreement negotiated by the Commission will".
_LATER_EVENT = re.compile(r"\b(negotiat|discuss|engag|announc|approv|scrutin)\w*", re.IGNORECASE)
# What a side says an offer or deal will do is its judgement of it, not a step: "this offer will deliver"
# (but "so that a ballot on the offer would not cost it the right to strike" judges nothing).
_PROMISES = re.compile(
    r"(?<!\bon the )(?<!\bof the )(?<!\bfor the )\b(?:offer|deal|plan|agreement|proposal|package|accord)\s+(?:will|would)\s+(?:\w+\s+)?(?:deliver|bring|help|"
    r"make|give|mean|ensure|provide|benefit|cost|hurt|protect|destroy|damage|boost)\b",
    re.IGNORECASE,
)
# Refusing or setting a condition is a stance, not a step: "will not negotiate", "would discuss X only as part of".
_REFUSAL = re.compile(r"\s+(?:not|never)\b|[^.;]{0,60}\bonly (?:if|as|when|after|once|on)\b", re.IGNORECASE)
_TALKS_EVENT = re.compile(
    r"\b(talks|negotiat\w*|round|meeting|meet|vote|ballot|deadline|summit|session|exchange|swap|release|sign\w*|"
    r"agreement|deal|offer|proposal|counter-proposal|draft|text|answer|reply|respond|ceasefire|truce|treaty|"
    r"delegations?|mediat\w*|envoy|strikes?|walkouts?|monitor\w*|commission|committee|survey|consultation|"
    r"hearing|arbitrat\w*|technical (?:teams?|talks|level)|video (?:calls?|conference)|"
    r"return to (?:work|their jobs)|back to work)\b",
    re.IGNORECASE,
)
_REJECTED = re.compile(
    r"\b(rejected|turned down|turned (?:\w+ ){1,3}down|dismissed|refused|rebuffed|spurned|walked away from|objected to|"
    # a members' vote: "voted on Wednesday to reject the planemaker's latest offer", "voted it down"
    r"voted (?:[\w.]+ ){0,3}?(?:to reject|against)|voted (?:it |them |the \w+ )?down|"
    # "an offer the guild called \"insulting\"": scorned, not taken
    r"(?:called|branded|described as) (?:it |them )?(?:as )?[\"“]?(?:insulting|derisory|an insult|unacceptable|laughable|"
    r"a non-starter|a joke))\b",
    re.IGNORECASE,
)
# An answer to an offer just reported: "Dolmar rejected the offer", "Arland accepted;", "Both welcomed that offer".
_ANSWER = re.compile(
    r"\b(?:rejected|dismissed|refused|rebuffed|spurned|welcomed|accepted|agreed to|backed|endorsed|embraced|"
    r"recommended)\s*"
    r"(?:(?:it|them|that|this)\b|(?:the|that|this|its|their|his|her|a|an|\w+['’]s)\s+(?:[\w'’.%$€£-]+\s+){0,3}?"
    r"(?:offer|proposal|plan|idea|bid|deal|draft|compromise|package|terms|committee|sequence|figure|suggestion|price)s?\b"
    r"|[;,.]|$)|\bturned\s+(?:it|that|the\s+[\w-]+|the\s+[\w-]+\s+[\w-]+)\s+down\b",
    re.IGNORECASE,
)
_FIGURE = re.compile(
    # Bounded, and starting only where a number starts: a run of digits costs linear time.
    r"(?:[$€£]\s?(?P<cur>\d[\d,]{0,14}(?:\.\d{1,4})?)|(?<![\d.,])(?P<num>\d[\d,]{0,14}(?:\.\d{1,4})?))"
    r"(?(cur)|\s*(?:%|percent|per cent|euros?|dollars?|pounds?|francs?|bn|billion|million|a share|cubic))"
)
# A condition just before an answer: "if the nurses' union turned the offer down".
_IF_REACH = 50
_IF_BEFORE = re.compile(
    r"\b(?:if|unless|whether|should|in case|must|needs? to|has to|have to)\b[^.;,]{0,40}$", re.IGNORECASE
)
# Saying no to it: "had not agreed to this", "refused to accept it".
_REFUSING = re.compile(
    r"\b(?:(?:had|has|have|did|does|do|would|will)\s+not|never|refused\s+to|declined\s+to)\s+$", re.IGNORECASE
)
# One side said yes, another has still to answer: the offer is not accepted yet.
_PENDING = re.compile(
    r"\b(would (respond|reply|answer|give its answer|consider)|has not (yet )?(answered|responded|replied)|"
    r"yet to (answer|respond|reply)|(is|are) studying)\b",
    re.IGNORECASE,
)
_ACCEPTED = re.compile(r"\b(accepted|agreed to|signed up to|backed|endorsed)\b", re.IGNORECASE)
_REPORTING = re.compile(r"\b(said|says|told|urged|added|warned|argued|according to)\b", re.IGNORECASE)
_PRONOUN = re.compile(r"\b(he|she|they|we|i|it)\b", re.IGNORECASE)
# Who states something: the words before the first verb of saying, wanting or refusing (:func:`speaker_of`).
_SUBJECT_VERB = re.compile(
    r"\b(said|says|told|tells|added|stated|noted|wrote|pointed out|explained|acknowledged|insist(?:s|ed)?|wants?|wanted|demand(?:s|ed)?|call(?:s|ed)? for|"
    r"urg(?:es|ed)|warn(?:s|ed)|argu(?:es|ed)|sought|seeks?|refus(?:es|ed)|reject(?:s|ed)|criticis(?:es|ed)|"
    r"criticiz(?:es|ed)|welcom(?:es|ed)|accus(?:es|ed)|vow(?:s|ed)|pledg(?:es|ed)|threaten(?:s|ed)|oppos(?:es|ed)|"
    r"favou?r(?:s|ed)|reiterat(?:es|ed)|repeated|maintain(?:s|ed)|stress(?:es|ed)|"
    r"(?:is|are|was|were) (?:ready|willing|prepared|determined) to)\b"
)
_REPORTING_VERBS = frozenset(
    {"said", "says", "told", "tells", "added", "stated", "noted", "wrote", "pointed out", "explained", "acknowledged"}
)
# Who speaks after a quotation: '," said Ana Ruiz', '," wrote Haddad on X', '," the union said'.
_QUOTE_TAIL = re.compile(
    # A closing mark follows a word or a stop, never a space or the sentence start ('"Drivers told us...').
    r"[,.?!…]?(?<=\S)[\"”’]\s*,?\s*(?:(?:said|says|added|wrote|insisted|argued|warned|stressed)\s+(?P<after>[^,.;:\"“”]{1,60})|"
    # '"...," Aisha Moriana, head of Pakistan's delegation, told BBC News.'
    r"(?P<before>[^,.;:\"“”]{1,60}?(?:,[^,.;:\"“”]{1,60},)?)\s+(?:said|says|added|wrote|insisted|argued|warned|stressed|"
    r"told)\b)"
)
_SUBJECT_WORDS = 12
# Where what was said begins: "told the BBC on Friday that ...", "said on Thursday ...".
_THAT = re.compile(r"[^,.;:\"“”]{0,50}?\bthat\s+")
_OF_PHRASE = re.compile(r"\s(?:of|for|from|over|about|with|in|on|to|by|against)\s")
_WHEN_SAID = re.compile(r"\s*(?:(?:on|in|at|last|this) [\w-]+\s*)?,?\s*")
_LEAD_IN = re.compile(
    r"^(?:(?:On|In|At|After|Before|Earlier|Later|Last|This|Late|Early|Meanwhile|However|But|And|Speaking)\b"
    r"[^,\"“”]{0,40},\s*|(?:But|And|However|Meanwhile)\s+)"
)
_AUXILIARY = re.compile(
    r"(?:\s+(?:has|have|had|also|who|which|is|are|was|were|would|will|not|now|again|previously|repeatedly|already|"
    r"still|earlier|once|long|always))+\s*$",
    re.IGNORECASE,
)
_PRONOUN_SUBJECT = re.compile(r"(?i:he|she|they|we|i|it|(?:its|his|her|their|our)(?: [\w-]+){1,3})")
_CROWD = (
    r"relatives|families|critics|analysts|experts|economists|campaigners|activists|residents|observers|"
    r"lawmakers|opponents|protesters|investors|opposition (?:parties|groups|leaders|politicians)|aid (?:agencies|groups|workers)|business (?:groups|leaders)|rights groups"
)
_CROWD_OPENS = re.compile(
    rf"\W*(?:(?:Some|Many|Hundreds of|Thousands of|Dozens of)\s+)?(?:[\w-]+\s+)?(?:{_CROWD})\b", re.IGNORECASE
)
_SOMEONE = re.compile(rf"\b({_CROWD}|some|many|others)\b", re.IGNORECASE)
_SOME = re.compile(r"(?:Some|Many|Several|A few|A number of)\s+\w+", re.IGNORECASE)
_COMMENTATORS = re.compile(rf"\b(?:{_CROWD})\b", re.IGNORECASE)
# Words before the verb past which a subject that opens with a crowd ("Hundreds of families") is
# taken to be the crowd alone: what follows is where it went, not who it is.
_CROWD_WORDS = 6
_SIDE_BODIES = frozenset(
    {"administration", "government", "cabinet", "ministry", "delegation", "team", "negotiators", "officials", "side"}
)
_DETERMINERS = frozenset("the a an this that these those its their any no such another each every".split())
# Words that only negotiation news uses often. Words that other news uses as
# much ("deal", "offer", "strike", "agreed", "bargain") are left out: a
# festival "offered" a car park, a shop has "deals", a striker a "strike".
_NEGOTIATION = re.compile(
    r"\b(negotiat\w*|talks|cease-?fires?|truces?|mediat\w*|bargaining|envoys?|delegations?|treat(y|ies)|accords?|"
    r"summits?|hostages?|diplomat\w*|arbitrat\w*|concessions?|compromis\w*|takeover|merger|acquisition|bids?|"
    r"prisoner (exchange|swap)|peace|tariffs?|trade (deal|agreement|pact)|strikes? (ballot|action)|"
    r"pay (offer|deal|rise|talks|dispute)|unions?)\b",
    re.IGNORECASE,
)
_ENGLISH = re.compile(r"\b(the|and|of|to|in|is|was|that|for|on|with|said|has|have|by|will)\b", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+")

_DAY = r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_MONTH = (
    r"(january|february|march|april|may|june|july|august|september|october|november|december|"
    r"jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.?"
)
_WHEN = re.compile(
    rf"\b((?:by|before|on|until|after|from|in|within|later|early|mid|next|this|the end of|end of|at the end of)"
    rf"\s+(?:the\s+)?(?:end of\s+|middle of\s+|coming\s+|next\s+|this\s+|early\s+|late\s+)?"
    rf"(?:{_DAY}|{_MONTH}(?:\s+\d{{1,2}})?|\d{{1,2}}\s+{_MONTH}|\d{{4}}|(?:a|one|two|three|four|five|six|\d+)\s+"
    rf"(?:days?|weeks?|months?|years?|hours?)|week|month|year|weekend|days|weeks|months|round|summer|autumn|"
    rf"winter|spring|session)\b(?:\s+\d{{4}})?|tomorrow|tonight|next (?:week|month|year|round|session)|"
    rf"later (?:this|that) (?:week|month|year)|(?:in|over) the (?:coming|next) (?:days|weeks|months)|"
    # "a day of protest for Oct. 10": a date, not a span ("for two weeks")
    rf"for\s+(?:{_DAY}|{_MONTH}\s+\d{{1,2}}))",
    re.IGNORECASE,
)
_LEAD_ATTRIBUTION = re.compile(
    r"^(?:according to [^,]{2,80},\s*|(?:[\w.'’-]+\s+){0,6}?(?:said|says|told [^,]{1,40}?|added|stated)"
    r"(?: on \w+)?(?: that|:|,)?\s+)",
)
_TAIL_ATTRIBUTION = re.compile(
    r"[,;]?\s*[\"”’]?\s*(?:(?:[\w.'’-]+\s+){0,8}?(?:said|says|told [\w\s]{1,40}?|added|stated|insisted|argued|"
    r"warned|according to [^.]{2,80})(?:\s+(?:on|in|at|last) [^.]{1,30})?|said [A-Z][^.]{0,60})\s*\.?$"
)


def mentions_negotiation(text: str) -> bool:
    """Whether the article uses any word of negotiation at all (English words).

    A brief needs an article that speaks of talks, offers or deals; without
    one, the model is not asked (small models called weather news a
    negotiation when asked). Only meaningful for English text: see
    :func:`looks_english`.
    """
    return _NEGOTIATION.search(text) is not None


def negotiation_words(text: str) -> int:
    """How many words of negotiation (English) the text uses: a signal, never a verdict."""
    return len(_NEGOTIATION.findall(text))


def looks_english(text: str, *, sample: int = 20_000) -> bool:
    """Whether a text reads as English: common English words are a large share of its words."""
    head = text[:sample]
    words = len(_WORD.findall(head))
    if words < 20:
        return True
    return len(_ENGLISH.findall(head)) / words >= 0.08


def offer_sentences(segments: Sequence[Segment]) -> list[int]:
    """Sentences that mention an offer, demand, plan or agreement: where proposals can be."""
    return [s.number for s in segments if OFFER.search(s.text)]


def future_sentences(segments: Sequence[Segment]) -> list[int]:
    """Sentences that speak of what is still to happen: where next steps can be."""
    return [s.number for s in segments if FUTURE.search(s.text)]


def candidate_sentences(segments: Sequence[Segment], *, english: bool = True) -> list[int]:
    """Sentences worth asking about: they state, offer, agree or plan something.

    Short fragments are skipped; in a text that is not English every
    sentence of four words or more is a candidate.
    """
    found = []
    for s in segments:
        if len(s.text.split()) < 4:
            continue
        if not english or any(p.search(s.text) for p in (OFFER, FUTURE, _STANCE, _DEMAND, _DEAL_IS)):
            found.append(s.number)
    return found


def statement_kind(sentence: str) -> str:
    """What an English sentence reports, by its words: ``agreement``, ``future``, ``offer``,
    ``demand``, ``terms`` or ``none``.

    ``terms`` is what the deal or offer reported before holds ("The deal also
    includes..."): whose it is and its status are that deal's. A step still to
    come needs a future marker and a date or an event (not a forecast or a
    guess: "will be key", "there could be a deal next week"); an
    agreement a past "agreed/signed" not hedged by "not", "if" or "would";
    an offer the words of offering or proposing; a demand those of demanding,
    refusing or insisting. Reported speech alone ("said") is not a demand.

    >>> statement_kind("Union members would then vote on any offer within a week.")
    'future'
    """
    if _TERMS_OF.match(sentence) or _PHASE.match(sentence) or _TERMS_SAY.search(sentence):
        return "terms"
    sentence = _THAN.sub("", sentence)  # "five years earlier than the bloc has proposed": a yardstick, no offer
    will = _WILL.search(sentence)
    if (will and _REFUSAL.match(sentence, will.end())) or _PROMISES.search(sentence) or _IF_THREAT.search(sentence):
        return "demand"
    future = will is not None and (
        when_phrase(sentence) is not None
        or _EVENT.search(sentence) is not None
        or _LATER_EVENT.search(sentence, will.start()) is not None
    )
    tabled = _TABLED_DEMAND.search(sentence)
    if tabled and (will is None or tabled.start() < will.start()):
        return "offer"  # "conveyed to the Russian delegation a demand for a ceasefire": terms put on the table
    if _OFFERS_IF.search(sentence):
        return "offer"  # "the group was prepared to hand over three bodies if the Red Crescent could reach it"
    wants = _WANTS_FIRST.search(sentence)
    if future and will and wants and wants.start() < will.start():
        return "demand"
    offering = _offering(sentence)
    if future and will and offering and offering.start() < will.start():
        return "offer"  # "Northline has offered 5 percent, tied to rosters that would allow...": the offer is the news
    if offering and _AFTER.search(sentence, 0, offering.start()):
        # "A strike due on Thursday may be called off after the authority made the union a new offer":
        # what may follow is a guess, the offer that prompts it is the news.
        return "offer"
    terms = _TERMS.match(sentence)
    if terms:
        # "Under the deal, Teluric will raise wages": what the deal holds, not a step still to come.
        return "agreement" if terms.group(1).casefold() in ("agreement", "deal", "accord", "settlement") else "offer"
    if (
        _JUDGES_OFFER.search(sentence)
        or _OFFER_JUDGED.match(sentence)
        or (_QUOTE_MARK.search(sentence) and _OWN_OFFER_JUDGED.search(sentence))
        or (not future and _NAMES_OFFER.search(sentence))
    ):
        return "demand"
    if (agreed := _agreed_now(sentence)) and not (
        _PAST_AGREEMENT.search(sentence) and len(_AGREED.findall(sentence)) == 1
    ):
        if offering and offering.start() < agreed.start() and not future:
            return "offer"  # "suggested that the issues be split, with pay settled now": a proposal to settle
        # "agreed to meet next week" is a step; "reached a tentative agreement ..., and classes will resume on
        # Monday" and "agreed on Friday to a ceasefire that will take effect on Aug. 3" report the agreement.
        return "future" if future and not _AGREED_ON_A_THING.match(sentence, agreed.start()) else "agreement"
    if future:
        # "The outcome will be key to oil prices", "hospitals will have already had to cancel": no step;
        # nor "there could be a deal next week", where only the date is in the future.
        markers = [m.group(0) for m in _WILL.finditer(sentence)]
        dated_only = all(_DATE_ONLY.fullmatch(m) for m in markers)
        guess = dated_only and _MAYBE.search(sentence)
        # "astounded the BMA had not agreed to this, ... strikes next week": an answer, the date by the way.
        answer = dated_only and response_cue(sentence)
        return "none" if _FUTURE_STATE.search(sentence) or guess or answer else "future"
    if offer_word := _unhedged(_OFFER_WORDS, sentence):
        if re.search(_THREAT, sentence, re.IGNORECASE):
            return "demand"  # "would retract the offer if the BMA rejected it": a threat, not an answer
        if response_cue(sentence) and not _offering(sentence):
            # "The union rejected the offer the same evening": the answer is that offer's status, not an
            # offer; "backed the draft, but insisted that..." still states what the side wants.
            return "demand" if wants or _BECAUSE.search(sentence) else "none"
        # "they want richer nations to deliver first" names the deal, but what it states is a want;
        # "would not improve the offer", "it is a serious offer" state where a side stands on it.
        opposes = _OPPOSES.search(sentence) or _REFUSES.search(sentence)
        if (
            _WONT_MOVE.search(sentence)
            or _CALLS_IT.search(sentence)
            or (opposes and opposes.start() < offer_word.start())
        ):
            return "demand"
        return "demand" if wants and not _offering(sentence) else "offer"
    if _DEMAND.search(_COURTESY.sub(" ", sentence)):
        # "The Front's negotiator rejected that sequence": an answer to a proposal, not a stance of its own.
        return "none" if response_cue(sentence) and not wants else "demand"
    quoted = _QUOTED.match(sentence)
    if quoted and (_DENIES.search(quoted.group(1)) or _DEAL_IS.search(quoted.group(1))):
        # '"A truce that lets the rebels rearm is not a truce," Mr Mbeki said.', '"This contract is a down payment"'
        return "demand"
    return "none"


def _unhedged(
    pattern: re.Pattern[str], sentence: str, hedge: re.Pattern[str] = _IF_BEFORE, reach: int = _IF_REACH
) -> re.Match[str] | None:
    """The first match of ``pattern`` that no ``hedge`` just before it takes back: not "would engage if
    it came back with a proposal", "if the union turned the offer down", "had not agreed"."""
    for match in pattern.finditer(sentence):
        if not hedge.search(sentence, max(0, match.start() - reach), match.start()):
            return match
    return None


def _agreed_now(sentence: str) -> re.Match[str] | None:
    """The sentence's first word of agreeing that no "not", "if" or "would" hedges: "the two sides
    agreed to exchange data ... even before a treaty is signed" agrees, "had not agreed" does not."""
    return _unhedged(_AGREED, sentence, _HEDGED, _HEDGE_REACH)


def agreement_clause(sentence: str) -> str:
    """The part of a sentence that tells its agreement, up to a contrast after the agreeing word: "X
    reached an agreement with Y on Tuesday" of "..., but bondholders rejected the government's plan"."""
    agreed = _agreed_now(sentence)
    if agreed is None:
        return sentence
    contrast = CONTRAST.search(sentence, agreed.end())
    return sentence[: contrast.start()] if contrast else sentence


def _offering(sentence: str) -> re.Match[str] | None:
    """The sentence's first verb of offering that is not hypothetical."""
    return _unhedged(_OFFERING, sentence)


def other_speaker(sentence: str) -> bool:
    """Whether the sentence names its own speaker by a noun ("the chamber said"), not by a pronoun.

    Used when no side is named in it: then the speaker is someone else, and
    the sentence does not continue a side's quotation.
    """
    match = _REPORTING.search(sentence)
    if match is None:
        return False
    around = sentence[: match.start()] + " " + sentence[match.end() : match.end() + 12]
    return _PRONOUN.search(around) is None


def speaker_of(sentence: str) -> tuple[str, str, str] | None:
    """Who a sentence says is speaking, wanting or refusing, and what kind of speaker that is.

    Returns ``(words, kind, clause)``: the words before the sentence's first
    verb of saying, wanting or refusing ("Mike Proulx from research firm
    Forrester"); ``"pronoun"`` ("He said"), ``"someone"`` (a person, group or
    organisation named in two words or more, or "critics", "some in the
    industry") or ``"thing"`` ("The deal must..."); and, after a verb of
    saying, the subject of what was said ("A Palestinian official told the BBC
    that Hamas was demanding..." gives "Hamas"), else "". None when the
    sentence opens with a quotation or has no such verb after a short subject.
    """
    body = _LEAD_IN.sub("", sentence.lstrip(), count=1)
    if opens_with_quote(body):
        # '"We will not move," said Ana Ruiz.' / '"...," he said.': the speaker follows the quotation.
        tail = _QUOTE_TAIL.search(body)
        if tail is None:
            return None
        said_by = tail.group("after") or tail.group("before")
        words = _OF_PHRASE.split(said_by.split(",")[0], maxsplit=1)[0].strip(" ,")
        # Whose they are, as the words after their name say: "head of Pakistan's delegation".
        affiliation = said_by[said_by.find(words) + len(words) :]
        if _PRONOUN_SUBJECT.fullmatch(words):
            return words, "pronoun", ""
        if words.split()[-1].casefold() in _SIDE_BODIES or words.split()[0].casefold() in _DETERMINERS:
            return words, "thing", ""
        return words, "someone", affiliation
    verb = _SUBJECT_VERB.search(body)
    if verb is None:
        return None
    words = _AUXILIARY.sub("", body[: verb.start()]).strip(" ,")
    long = len(words.split()) > (_CROWD_WORDS if verb.group(1).casefold() not in _REPORTING_VERBS else _SUBJECT_WORDS)
    if long and (people := _SOMEONE.search(opening := " ".join(body.split()[:4]))):
        # "Hostages' relatives and thousands of their supporters attended a rally ... to call for",
        # "Hundreds of families marched in the Velmari capital ... to demand": the crowd, not the place
        return opening[: people.end()], "someone", ""
    if not words or len(words.split()) > _SUBJECT_WORDS or _QUOTE_MARK.search(words):
        return None
    if _PRONOUN_SUBJECT.fullmatch(words):
        return words, "pronoun", ""
    first, *rest = words.split()
    someone = bool(_SOMEONE.search(words)) or (
        bool(rest)
        and (any(w[:1].isupper() for w in rest) or first.casefold() not in _DETERMINERS)
        and any(w[:1].isupper() for w in words.split())
    )
    if not someone or words.split()[-1].casefold() in _SIDE_BODIES:
        # "The Trump administration", "the Kestrian delegation": a side's own people, named by whom they follow.
        return words, "thing", ""
    clause = ""
    if verb.group(1).casefold() in _REPORTING_VERBS:
        said = body[verb.end() :]
        start = _THAT.match(said) or _WHEN_SAID.match(said)
        said = said[start.end() :] if start else said
        inner = _SUBJECT_VERB.search(said, 0, 80)
        clause = said[: inner.start()] if inner else said[:60]
        # Its subject only: "the battle for control of Warner Bros" is not Warner Bros speaking.
        clause = _OF_PHRASE.split(clause, maxsplit=1)[0]
    return words, "someone", clause


_CONTINUES = re.compile(
    r"^\W*(?:(?:But|And|However|Meanwhile|Still),?\s+)?(?:he|she|they|it|we|i|(?:the|its|their)\s+(?:[\w-]+\s+)?"
    r"(?:union|company|firm|group|government|ministry|bloc|alliance|board|federation|association|employers?|movement|"
    r"rebels|militants|administration|delegation|side|team|negotiators|officials|country|cabinet|committee|council)s?)\b",
    re.IGNORECASE,
)
# A speaker's own words, in any case but the "US" of a country's name; the plural ones speak for a group.
_WE_WORDS = r"[Ww]e|[Oo]ur|us"
_FIRST_PERSON = re.compile(rf"\b(?:{_WE_WORDS}|I|[Mm]y|me)\b")
_WE = re.compile(rf"\b(?:{_WE_WORDS})\b")


# People who comment on talks from outside, by their trade ("a trade economist at the Halden Institute").
EXPERT_WORDS = (
    r"analyst|economist|professor|expert|researcher|strategist|consultant|lecturer|historian|commentator|scholar|"
    r"academic|scientist|campaigner|\w+ologist"
)
# A speaker who is no side whatever side their words name: an expert ("a Dolmari hydrologist", "analyst
# Priya Shah") or a group of a side's people ("Skyrail's pilots' union", "Paramount's shareholders").
_EXPERT_SPEAKER = re.compile(rf"\b(?:{EXPERT_WORDS})s?\b|\bthink[- ]tank\b", re.IGNORECASE)
_GROUP_OF_SIDE = re.compile(
    # Of a named side: not "the doctors' union", a side by its own name.
    r"\b(?-i:[A-Z])[\w.&-]*['’]s?\s+(?:[\w'’-]+\s+){0,2}(?:unions?|workers|staff|employees|shareholders|investors|pilots|lawmakers|farmers|"
    r"residents|critics|opposition|partners|allies)\b",
    re.IGNORECASE,
)


def someone_else(words: str) -> bool:
    """Whether a sentence's speaker (:func:`speaker_of`'s words) is an expert or a group of a side's
    people, and so no side, though their words name one."""
    return _EXPERT_SPEAKER.search(words) is not None or _GROUP_OF_SIDE.search(words) is not None


def commentator(sentence: str) -> bool:
    """Whether the sentence's speaker is a crowd or commentators, no one at the table ("Residents of
    Mirel said they hoped the agreement would hold", "Analysts said...")."""
    speaker = speaker_of(sentence)
    if speaker is None or speaker[1] != "someone":
        return False
    # "Some members said they would vote against the deal": a few people's own plans, no step of a side.
    return _COMMENTATORS.search(speaker[0]) is not None or (
        _SOME.match(speaker[0]) is not None and speaker[2].split()[:1] == ["they"]
    )


def crowd_opens(sentence: str) -> bool:
    """Whether a sentence opens with a crowd or commentators as its subject, whatever verb follows:
    "Families of the remaining hostages gathered outside the governor's office to urge both sides..."."""
    return _CROWD_OPENS.match(sentence) is not None


def continues_speech(sentence: str) -> bool:
    """Whether a sentence that names no side goes on with the last one's words: a quotation, a
    pronoun or a side's kind for its subject, or a speaker's "we" ("It also wants...", "The union
    wants...", '"We will not move."'), not the writer's own ("At the heart of the row is...")."""
    return (
        opens_with_quote(sentence)
        or _CONTINUES.search(sentence) is not None
        or _FIRST_PERSON.search(sentence) is not None
    )


_QUOTE_OPENS = re.compile(r"\W{0,3}[\"“‘']")


_QUOTATION = re.compile(r"[\"“]([^\"”]{3,600})(?:[\"”]|$)")


def speaks_as_a_side(sentence: str) -> bool:
    """Whether a quotation in the sentence speaks for a group in the first person plural:
    "We did not come here to accept crumbs," ... ; "Without it, there is nothing for us to discuss."."""
    return any(_WE.search(m[1]) for m in _QUOTATION.finditer(sentence))


def opens_with_quote(sentence: str) -> bool:
    """Whether a sentence opens with a quotation ('"We will not move," she said.')."""
    return _QUOTE_OPENS.match(sentence) is not None


def offering_at(sentence: str) -> int | None:
    """Where a sentence's verb of offering or proposing begins ("ministers offered ..."), or None."""
    match = _offering(sentence) or _TABLED_DEMAND.search(sentence) or _OFFERS_IF.search(sentence)
    return match.start() if match else None


def wanting_at(sentence: str) -> int | None:
    """Where a sentence's first verb of demanding, refusing or pressing begins ("with the U.S. pressuring"), or None."""
    match = _DEMAND.search(sentence)
    return match.start() if match else None


def together(sentence: str) -> bool:
    """Whether a sentence says the sides acted together ("both sides", "the pair", "jointly")."""
    return _TOGETHER.search(sentence) is not None


def offer_clause(sentence: str) -> str:
    """The part of a sentence that tells its offer: from the last "but" before the verb of offering
    ("Kordavia had rejected an unconditional ceasefire but offered a truce" gives "offered a truce"),
    or the "and" just before it ("rejected that offer and came back with a price"), else the whole
    sentence; what was rejected before is another side's offer."""
    at = offering_at(sentence)
    if at is None:
        return sentence
    buts = [m for m in _BUT.finditer(sentence, 0, at)] + [
        m for m in _AND_THEN.finditer(sentence, 0, at) if m.end() == at
    ]
    return sentence[max(m.end() for m in buts) :] if buts else sentence


def under_the_deal(sentence: str) -> bool:
    """Whether a sentence opens with what the deal just reported holds: "Under the agreement, ..."."""
    return _TERMS.match(sentence) is not None


def terms_noun(sentence: str) -> str | None:
    """What a sentence of terms calls the offer or deal it tells of ("The plan is believed to include..."
    gives "plan"), or None when it does not open that way."""
    match = _TERMS_OF.match(sentence)
    return match.group("noun").casefold() if match else None


def more_terms(sentence: str, *, future: bool) -> bool:
    """Whether a sentence told just after an offer or deal reads as more of what it holds.

    "The number of posts will also rise by 4,000 by 2028", "He said the bloc
    would open its markets with zero per cent tariffs", "It would also see aid
    convoys enter within 48 hours": narrated (no quotation), in the future of
    what a side will do or get, with "also" or an amount; not a step in the
    talks ("would then vote"), a condition ("If members back it, ..."), what it
    leaves out ("But the steel tariff would stay") or a judgement ("the deal
    will bring stability"). A sentence already read as a
    step must say "also".

    >>> more_terms("The bloc would also buy 40 billion dollars of gas over three years.", future=False)
    True
    >>> more_terms("Members would vote on it within a week.", future=True)
    False
    >>> more_terms("But a 50 percent tariff on steel would stay in place.", future=False)
    False
    """
    if not _TERMS_MODAL.search(sentence) or _QUOTE_MARK.search(sentence):
        return False
    if _IF_FIRST.match(sentence) or _BUT_FIRST.match(sentence):
        return False
    if _STEP_WORDS.search(sentence) or _FUTURE_STATE.search(sentence) or _PROMISES.search(sentence):
        return False
    also = _ALSO.search(sentence) is not None
    return also if future else also or _AMOUNT.search(_DATE_NUMBER.sub(" ", sentence)) is not None


def opens_as_terms(sentence: str) -> bool:
    """Whether a sentence opens as more of the offer told just before: "It would also extend...",
    however it goes on ("..., a change the union has said it will not accept")."""
    return _IT_ALSO.match(sentence) is not None


def answer_beside(sentence: str) -> str | None:
    """A side's answer told beside an offer or term, in apposition: ``rejected`` for "..., a change the
    union has said it will not accept", ``accepted`` for "..., a mechanism the army had accepted on
    Saturday"; else None."""
    match = _ANSWER_BESIDE.search(sentence)
    if match is None:
        return None
    return "accepted" if match["yes"] else "rejected"


def talks_event(sentence: str) -> bool:
    """Whether a sentence speaks of a step in the talks: a round, meeting, vote, deadline, draft, answer."""
    return _TALKS_EVENT.search(sentence) is not None


def status_cue(sentence: str) -> str | None:
    """A proposal's status when the sentence says it outright ("rejected", "accepted"), else None.

    Not a rejection only foreseen: "would introduce legislation if the union turned the offer down"."""
    if _unhedged(_REJECTED, sentence):
        return "rejected"
    but = _BUT.search(sentence)
    if but and response_cue(sentence[but.end() :]) == "rejected":
        return "rejected"  # "she had offered to extend the mandate, but the union had not agreed to this"
    # Accepting must point at an offer: "he had accepted the invitation" says nothing of the plan.
    if _ACCEPTED.search(sentence) and not _NOT_AGREED.search(sentence) and response_cue(sentence) == "accepted":
        return "accepted"
    return None


def response_cue(sentence: str) -> str | None:
    """How a sentence answers an offer reported just before it: ``rejected``, ``accepted`` or None.

    The answer must point back at an offer ("rejected the offer", "accepted it",
    "Arland accepted;"): "he accepted the invitation" answers something else.
    """
    match = _ANSWER.search(sentence)
    if match is None or _IF_BEFORE.search(sentence, max(0, match.start() - _IF_REACH), match.start()):
        return None  # "if the union turned the offer down": no answer yet
    if _REJECTED.search(match.group(0)) or _REFUSING.search(sentence, max(0, match.start() - 24), match.start()):
        return "rejected"  # "Dolmar rejected the offer", "the BMA had not agreed to this"
    if _NOT_AGREED.search(sentence) or _PENDING.search(sentence):
        return None
    return "accepted"


def figures(sentence: str) -> set[str]:
    """The amounts a sentence names ("4.5 percent", "$108.4bn", "14.50 euros"), as bare numbers: what identifies an offer."""
    return {(m.group("cur") or m.group("num")).replace(",", "") for m in _FIGURE.finditer(sentence)}


def when_phrase(sentence: str) -> str | None:
    """The sentence's own words for when something happens, or None.

    >>> when_phrase("Union members would then vote on any offer within a week.")
    'within a week'
    """
    match = _WHEN.search(sentence)
    return match.group(0).strip() if match else None


_DATELINE = re.compile(r"^[A-Z][A-Z .'’-]{1,40}, [A-Z][a-z]{2,8}\.? \d{1,2},? (\d{4} )?(\([^)]{1,30}\) )?[-–—]+\s*")


def statement_text(sentence: str, *, limit: int = 240) -> str:
    """The sentence as a statement: attribution ("X said") and outer quotes removed, at most ``limit`` characters.

    >>> statement_text('Union president Tomás Reyes said members "will stay out as long as it takes".')
    'Members "will stay out as long as it takes"'
    """
    text = _DATELINE.sub("", " ".join(sentence.split()))
    trimmed = _TAIL_ATTRIBUTION.sub("", text).strip()
    if len(trimmed.split()) >= 4:
        text = trimmed
    trimmed = _LEAD_ATTRIBUTION.sub("", text).strip()
    if len(trimmed.split()) >= 4:
        text = trimmed
    text = text.strip(" \"“”'‘’").rstrip(" ,;:.")
    if len(text) > limit:
        cut = text[:limit].rsplit(" ", 1)[0]
        text = cut.rstrip(" ,;:") + "…"
    return text[:1].upper() + text[1:] if text else text
