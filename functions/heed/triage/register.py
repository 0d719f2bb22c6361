"""The customer-care register beyond single terms, read on the cue words after the lexicon look-up.

- Sarcasm without a marker: a positive word whose object is a bad situation, in the same clause
  ("love waiting <n> hours", "thanks for the soggy fries", "great, another delay"). The positive
  word stops counting as praise and the mention gains a complaint cue.
- A broken expectation across a gap: "ordered X ... got Y", "says/shows X ... but".
- Polite thanks is no sarcasm: "thanks so much for the help" is not "so much for".
- A Spanish complaint asked as a question: "¿desde cuándo cobran por...?"
- The same in Spanish, with its own words: an opener ("genial, otra vez sin luz", "gracias por los
  anuncios", "qué detalle subir los precios") or a closer after the problem ("3 horas en la cola.
  bravo"), where a problem negated ("sin esperas", "ningún retraso") or a fix ("gracias por
  arreglarlo") keeps it sincere, and a wish ("sería genial que...") is no sarcasm.
"""

from __future__ import annotations

import re

from heed.triage.cues import Found
from heed.triage.english_valence import valences
from heed.triage.lexicon import Span, overlaps
from heed.triage.text import Text

_SARCASTIC_OPENERS = frozenset(
    [
        "love",
        "loving",
        "loved",
        "great",
        "nice",
        "awesome",
        "wonderful",
        "fantastic",
        "perfect",
        "brilliant",
        "amazing",
        "excellent",
        "lovely",
    ]
)
_THANKS = frozenset(("thanks", "thank", "thx", "ty", "cheers"))
_WISH = frozenset(("would", "i'd", "we'd", "you'd", "to", "will", "i'll", "gonna"))
# what a thank or a "love" is for when it is sincere: help, repair, speed
_RESOLUTION = frozenset(
    """
    fix fixed fixing fixes solved solving resolved resolving sorted sorting help helping helped reply
    response responding answer quick quickly fast speedy prompt replaced replacing refunded refunding
    finally back update updating info information patience understanding support assistance service
    more less again now new upgrade free
    """.split()  # noqa: SIM905 - a word list reads better as text
)
_BAD_SITUATION = frozenset(
    """
    waiting wait waited losing lost late delay delayed delays cancelled canceled cancel hold another
    soggy cold stale broken stuck missing nothing no never paying charged overcharged fees fee queue
    queues line lines buffering lag lagging crashing crashes outage outages sitting standing stuck
    """.split()  # noqa: SIM905
)
_CLAUSE_END = frozenset(("but", "and", "so", "because", "though", "if", "when"))
# "no fees", "zero delays", "without a queue": a bad situation that is absent is praise's object
_NEGATORS = frozenset(("no", "zero", "without", "never", "not"))
_WINDOW = 6
_SAYS = frozenset(
    ("says", "said", "saying", "shows", "showed", "showing", "states", "claims", "tracking", "status")
)
_BUT = frozenset(("but", "yet", "though", "although", "however"))
_GOT = frozenset(("got", "received", "receive", "sent", "came", "arrived", "delivered"))
_GAP = 8
_ORDERED = frozenset(("ordered", "bought", "paid"))
_TRYING = frozenset(("trying", "tried", "attempting", "attempted"))


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Spanish, folded (no accents). Openers praise what follows ("genial, otra caída"); closers praise
# what came before ("3 horas en la cola. bravo"); "qué detalle", "qué lujo", "me encanta" read as openers.
_ES_OPENERS = _words(
    """
    genial estupendo estupenda perfecto perfecta fantastico fantastica maravilla maravilloso maravillosa
    excelente increible bravo enhorabuena felicidades felicitaciones encanta encantan adoro detalle
    detallazo lujo emocion ganas gusto alegria suerte eficiencia puntualidad rapidez buenisimo chapo
    ole espectacular impecable
    """
)
_ES_CLOSERS = _words(
    """
    genial estupendo estupenda perfecto perfecta fantastico fantastica maravilla excelente increible
    bravo enhorabuena felicidades felicitaciones chapo ole espectacular impecable record favorito
    favorita crack cracks ejemplar lujo
    """
)
_ES_THANKS = _words("gracias agradezco")
_ES_FOR = _words("por x")
_ES_ARTICLES = _words("el la los las lo un una este esta estos estas ese esa tanto tanta")
# a wish before the praise word: a suggestion, not sarcasm ("sería genial poder..."); not "si", which
# folds together with "sí" (yes)
_ES_WISH = _words("seria estaria fuera ojala gustaria encantaria")
# problem words, not the ones that are ordinary in praise too: "anuncio" (an advert one likes), "fría"
# (a cold beer), "tarde" (an afternoon), "corte" (a haircut), "caído" ("me ha caído genial")
_ES_PROBLEM = _words(
    """
    esperar esperando espere esperado espera esperas cola colas retraso retrasos retrasado retrasada
    tardar tardan tardaron tarda demora demoras demorado cancelado cancelada cancelaron cortaron
    averia averias averiada averiado averiadas averiados estropeado estropeada roto rota rotos rotas
    perdido perdida perdieron subida subidas subieron cobrar cobran cobro cobraron cobrarme cobrado
    comision comisiones recargo carisimo bloqueada bloqueado error errores fallo fallos falla fallas
    lentisimo lentisima colgado colgada atascado apagon apagones fuga
    """
)
# phrases whose words are ordinary alone: a cut of a supply ("corte de luz"), a price rise ("subir los
# precios"); the words after the first are looked for within two words
_ES_CUT = _words("corte cortes")
_ES_SUPPLY = _words("luz agua gas internet servicio fibra linea senal suministro electricidad")
_ES_RAISE = _words("subir suben subio suba")
_ES_PRICE = _words("precio precios tarifa tarifas cuota cuotas factura recibo")
# the lexicon's own repetition words ("otra vez" is a complaint cue there) are no problem after praise
_ES_REPEAT = _words("otra otro otras otros vez nuevo")
# "<n> horas" after the praise is a wait ("me encanta esperar 40 horas"), "en <n> horas" is speed
_ES_TIME = _words("horas hs hrs dias semanas meses anos")  # not minutes: "instalado en 30 min" is praise
_ES_ANOTHER = _words("otra otro otras otros")  # "otro corte", "otra subida": with a problem right after
# what the praise is for when it is sincere: a fix, help, speed, news (looked for twice as far as
# problems: "me arreglaron el fallo en 5 minutos, sois unos cracks")
_ES_FIX = _words(
    """
    arreglar arreglado arreglada arreglaron arreglarlo arreglo solucion solucionar solucionado
    solucionada solucionaron solucionarlo resuelto resuelta resolver resolvieron ayuda ayudar ayudarme
    ayudaron atencion atender atendieron respuesta responder respondieron contestar rapidez rapido
    rapida rapidos rapidas paciencia devolucion devolver devolvieron reembolso reembolsar reponer
    llego llegado llegaron funciona funcionando volvio vuelto fin aviso avisar avisarme informar
    informacion explicacion gestion amabilidad trato todo mejora mejoras mejorado recibido
    """
)
# a problem word after one of these (within three words) is the absence of a problem ("sin esperas",
# "no tuve que esperar"); a fix word after one of them is a problem ("no funciona")
_ES_NEGATORS = _words("sin ningun ninguna cero ni no nada")
_ES_NEGATION_REACH = 3
_ES_CLAUSE_END = _words("pero aunque porque cuando")
_ES_WINDOW = 6
_ES_CLOSER_TAIL = 3  # a closer among the last words of the mention
_ES_TRIGGERS = _ES_OPENERS | _ES_CLOSERS | _ES_THANKS

# "¿desde cuándo...?" asked, or "... desde cuándo" to close: indignation; "desde cuando abrieron" (since
# they opened) is not, so only with its question marks or at the end (read on the lowered text: the cue
# words have no punctuation)
_ES_SINCE_WHEN = re.compile(r"¿\s*desde\s+cu[aá]ndo|desde\s+cu[aá]ndo\b[^.!?¿\n]*\?|desde\s+cu[aá]ndo\W*$")

# a mention with none of these words has no reading to apply (most mentions): one set test
_TRIGGERS = _SARCASTIC_OPENERS | _THANKS | _ORDERED | _SAYS | _TRYING | _ES_TRIGGERS


def _absent_problems(words: tuple[str, ...], start: int, end: int, negative: list[Span]) -> set[int]:
    """Positions in words[start:end] that name a bad situation as absent ("no fees", "zero delays"),
    with a lexicon span that ends in the negator ("there's no queue"): sincere praise's object."""
    absent: set[int] = set()
    for j in range(start, end):
        if words[j] in _NEGATORS and j + 1 < len(words) and words[j + 1] in _BAD_SITUATION:
            absent.update((j, j + 1))
            for span_start, span_end in negative:
                if span_start < j < span_end or span_end == j + 1:
                    absent.update(range(span_start, span_end))
    return absent


def _bad_after(words: tuple[str, ...], start: int, negative: list[Span]) -> bool:
    """A bad situation within a few words after `start`, before the clause ends, with no sign that
    the thanks or love is for a fix ("thanks for fixing the lag")."""
    table = valences()
    end = min(start + _WINDOW, len(words))
    absent = _absent_problems(words, start, end, negative)
    for i in range(start, end):
        word = words[i]
        if word in _CLAUSE_END or word in _RESOLUTION:
            return False
        if i in absent:
            continue
        if (
            word in _BAD_SITUATION
            or table.get(word, 0.0) <= -1.0
            or overlaps((i, i + 1), negative)
            or (
                word == "<n>"
                and i + 1 < len(words)
                and words[i + 1] in ("minutes", "mins", "hours", "hrs", "days")
            )
        ):
            return True
    return False


def _sarcastic(words: tuple[str, ...], found: Found) -> list[Span]:
    """Spans of positive words used sarcastically."""
    negative = [*found.get("negative", ()), *found.get("strong_negative", ()), *found.get("complaint", ())]
    spans: list[Span] = []
    for i, word in enumerate(words):
        if i and words[i - 1] in _WISH:
            continue  # "would love", "I'd love to": a wish, not sarcasm
        if word in _SARCASTIC_OPENERS:
            if _bad_after(words, i + 1, negative):
                spans.append((i, i + 1))
        elif word in _THANKS and i + 1 < len(words) and words[i + 1] == "for":
            # "thanks for the soggy fries": skip the article
            start = i + 2 + (i + 2 < len(words) and words[i + 2] in ("the", "a", "an", "all", "this", "that"))
            if _bad_after(words, start, negative):
                spans.append((i, i + 2))
    return spans


def _es_problem_word(words: tuple[str, ...], i: int) -> bool:
    word = words[i]
    after = words[i + 1 : i + 3]
    return (
        word in _ES_PROBLEM
        or (word in _ES_CUT and any(w in _ES_SUPPLY for w in after))
        or (word in _ES_RAISE and any(w in _ES_PRICE for w in after))
    )


def _es_reading(words: tuple[str, ...], i: int, negative: list[Span]) -> bool | None:
    """Word `i` of a Spanish mention: True for a problem, False for a fix, a negated problem or a
    speed ("en 48 horas"): the praise is sincere; None for neither. `negative`: the lexicon's strong
    negative and complaint spans, which count as problems as they are (the lexicon read their own
    negation: "sin luz"); empty for closers ("me ha caído genial")."""
    word = words[i]
    negated = any(w in _ES_NEGATORS for w in words[max(0, i - _ES_NEGATION_REACH) : i])
    if word in _ES_FIX:
        return negated  # "no funciona" is a problem, "funciona" a fix
    if word == "<n>" and i + 1 < len(words) and words[i + 1] in _ES_TIME:
        return False if i and words[i - 1] == "en" else not negated
    if word in _ES_ANOTHER:
        return True if any(_es_problem_word(words, j) for j in range(i + 1, min(i + 3, len(words)))) else None
    if _es_problem_word(words, i):
        return not negated
    if word not in _ES_REPEAT and overlaps((i, i + 1), negative):
        return True
    return None


def _es_problem_in(words: tuple[str, ...], span: range, negative: list[Span]) -> bool:
    """A problem within the first _ES_WINDOW words `span` walks through, and no fix anywhere in it
    (it runs twice as far): a fix wins ("me solucionaron la avería en una hora, genial")."""
    problem = False
    for step, i in enumerate(span):
        if words[i] in _ES_CLAUSE_END:
            break
        reading = _es_reading(words, i, negative)
        if reading is False:
            return False
        problem = problem or (bool(reading) and step < _ES_WINDOW)
    return problem


def _es_sarcastic(words: tuple[str, ...], found: Found) -> list[Span]:
    """Spans of Spanish praise words used sarcastically."""
    # not the lexicon's plain negative words: they include "esperaba" of "no me lo esperaba"
    negative = [*found.get("strong_negative", ()), *found.get("complaint", ())]
    spans: list[Span] = []
    tail = len(words) - _ES_CLOSER_TAIL
    for i, word in enumerate(words):
        if any(w in _ES_WISH for w in words[max(0, i - 2) : i]):
            continue
        reach = 2 * _ES_WINDOW
        after = range(i + 1, min(i + 1 + reach, len(words)))
        if word in _ES_THANKS:
            if i + 1 < len(words) and words[i + 1] in _ES_FOR:
                start = i + 2 + (i + 2 < len(words) and words[i + 2] in _ES_ARTICLES)
                if _es_problem_in(words, range(start, min(start + reach, len(words))), negative):
                    spans.append((i, i + 2))
        elif (word in _ES_OPENERS and _es_problem_in(words, after, negative)) or (
            word in _ES_CLOSERS
            and i >= tail
            and _es_problem_in(words, range(i - 1, max(i - 1 - reach, -1), -1), [])
        ):
            spans.append((i, i + 1))
    return spans


def _gapped(words: tuple[str, ...]) -> int:
    """ "ordered X ... got Y", "says X ... but" and "trying to X ... but": what happened is not what
    was expected."""
    count = 0
    for i, word in enumerate(words):
        if (
            (word in _ORDERED and any(w in _GOT for w in words[i + 2 : i + 2 + _GAP]))
            or (word in _SAYS and any(w in _BUT for w in words[i + 1 : i + 1 + _GAP]))
            or (
                word in _TRYING
                and words[i + 1 : i + 2] == ("to",)
                and any(w in _BUT for w in words[i + 2 : i + 2 + _GAP])
            )
        ):
            count += 1
    return count


def refine(text: Text, found: Found) -> Found:
    """`found` with the register's readings applied (a new dict; the lists are not shared)."""
    words = text.cue_words
    since_when = "desde cu" in text.lowered and _ES_SINCE_WHEN.search(text.lowered) is not None
    if _TRIGGERS.isdisjoint(words) and not since_when:
        return found
    sarcastic = (
        _sarcastic(words, found) if any(w in _SARCASTIC_OPENERS or w in _THANKS for w in words) else []
    )
    if not _ES_TRIGGERS.isdisjoint(words):
        sarcastic += _es_sarcastic(words, found)
    gapped = _gapped(words) + since_when
    thanks_for = [
        (i, i + 4)
        for i, w in enumerate(words)
        if w in _THANKS and words[i + 1 : i + 4] in (("so", "much", "for"), ("you", "so", "much"))
    ]
    if not (sarcastic or gapped or thanks_for):
        return found
    refined = dict(found)
    if thanks_for:
        for category in ("complaint", "strong_negative", "negative"):
            if category in refined:
                refined[category] = [s for s in refined[category] if not overlaps(s, thanks_for)]
    if sarcastic:
        for category in ("praise", "positive", "strong_positive"):
            if category in refined:
                refined[category] = [s for s in refined[category] if not overlaps(s, sarcastic)]
    extra = sarcastic + [(len(words), len(words))] * gapped
    if extra:
        refined["complaint"] = [*refined.get("complaint", ()), *extra]
    return refined
