"""Polarity terms in en, es, fr, pt (some de, it), written for Heed. Four strengths; "*" is a prefix.

Customer-care phrasing is weighted in: waiting, refunds, outages and sarcastic thanks are what
brand mentions are made of.
"""

from __future__ import annotations

from heed.triage.lexicon import terms


def _wordset(block: str) -> frozenset[str]:
    return frozenset(block.split())


STRONG_NEGATIVE = terms("""
worst | terrible* | horrible* | awful | disgust* | pathetic | unacceptable | ridiculous | useless
hate | hated | hates | scam* | fraud* | nightmare | furious | appalling | atrocious | shameful
thanks for nothing | thank you for nothing | never again | fed up | sick of | sick and tired
still waiting | still no | no refund | not refunded | worst service | rip off | ripoff
love how | love when | love it when | gotta love | got to love | so much for | yeah right | oh great
great another | thanks a lot | thanksfornothing | for ruining | just wonderful | just great | just perfect | not my fave | not my favorite | not happy | not impressed
shit* | fuck* | crap | sucks | suck | trash | garbage | incompetent* | joke of a | disgrace*
pesimo* | pesima* | horrible* | terrible* | asco | asqueros* | vergonzos* | verguenza | inutil*
odio | estafa* | fraude | nefast* | indignant* | inaceptable | lamentable | harto | harta | hartos
gracias por nada | nunca mas | sigo esperando | seguimos esperando | sin respuesta | ni una respuesta
mierda | basura | porqueria | una burla | ladrones | robo | de lo peor | lo peor | malisim*
nul | nulle | nuls | honte* | scandal* | inadmissible | lamentable | degoutant* | inacceptable
merci pour rien | plus jamais | toujours pas | j'en ai marre | marre | arnaque* | voleurs | pire
merde | putain | catastroph* | deplorable | minable | honteu*
pessim* | horrivel | horriveis | vergonha | lixo | absurd* | ridicul* | nojent* | odeio | palhacada
obrigado por nada | obrigada por nada | nunca mais | continuo esperando | ate agora nada | descaso
merda | porra | ladroes | golpe | enganacao | piada | pior
""")

NEGATIVE = terms("""
bad | poor* | sad | sadly | angry | mad | upset | annoy* | disappoint* | frustrat* | problem* | issue*
broken | broke | fail* | error* | bug | bugs | buggy | crash* | slow | late | delay* | cancel* | lost
missing | wrong | never | waiting | waited | wait | hours | unhelpful | rude | refund* | charged | overcharg*
complain* | not working | doesn't work | does not work | didn't work | won't work | stopped working
can't | cannot | unable | no one | nobody | nothing | again | stuck | down | outage | expensive
sorry | unfortunately | worse | worried | afraid | scared | fear | cry* | tired | hurt | pain | sick
died | dead | death | kill* | war | attack* | terror* | lies | liar | lying | wtf | ugh | smh | damn
mal | malo | mala | malos | triste | enojad* | enfadad* | molest* | decepcion* | problema* | fallo*
falla* | error | roto | rota | lento | lenta | tarde | retras* | cancela* | perdid* | nunca | espera*
reclam* | queja* | no funciona | no sirve | no puedo | nadie | nada | otra vez | de nuevo | caro
lamentablemente | peor | preocupad* | miedo | llor* | cansad* | dolor | muert* | guerra | mentira*
cobr* | devolucion | reembolso | sin servicio | sin internet | sin luz | caido | caida | corte*
mauvais* | triste | en colere | enerv* | decu* | decevant* | probleme* | bug | panne* | lent | lente
retard* | annul* | perdu* | jamais | attente | attend* | rembours* | plainte* | ne marche pas
ne fonctionne pas | impossible | personne | rien | encore | cher | chere | malheureusement | pire
inquiet* | peur | pleur* | fatigu* | mort* | guerre | mensonge* | menteur* | coupure* | bloque*
ruim | ruins | triste | irritad* | chatead* | decepcion* | problema* | falha* | erro | quebrad* | lent*
atras* | cancel* | perdid* | nunca | esperando | espera | reclama* | nao funciona | nao consigo
ninguem | nada | de novo | infelizmente | preocupad* | medo | chor* | cansad* | dor
mort* | guerra | mentira* | cobran* | reembolso | estorno | sem sinal | sem internet | fora do ar | caiu
schlecht | traurig | leider | scheiss* | brutto | male | peggio | schifo | triste
""")

POSITIVE = terms("""
good | nice | likes | liked | happy | glad | thanks | thank | thx | ty | cool | fun | funny
enjoy* | win | won | winning | beautiful | pretty | cute | fine | ok | okay | well done | helpful
quick | fast | easy | smooth | recommend* | proud | lucky | welcome | i like | like it | like this
interesting | excited | exciting | yay | congrat* | birthday | smile | haha | hahaha
lol | resolved | solved | fixed | works | working now | sorted
bueno | buena | buenos | buenas | bien | gracias | genial | bonit* | lind* | feliz | felices | divert*
disfrut* | ganar | gano | rapid* | facil | recomiend* | orgullos* | suerte | ojala | bienvenid*
interesante | emocion* | listo | felicidades | felicit* | cumple* | amig* | sonris* | jaja* | jeje
resuelto | solucionado | funciona bien | vale
bon | bonne | bien | merci | cool | sympa | joli* | heureu* | content* | drole | amus* | gagn* | rapide
facile | recommande* | fier | fiere | chance | espere | bienvenue | interessant* | felicit* | anniv*
ami | amis | sourire | mdr | ptdr | resolu | regle | top
bom | boa | bons | boas | bem | obrigad* | obg | legal | lind* | feliz | felizes | divert* | gost*
ganh* | rapid* | facil | recomend* | orgulh* | sorte | tomara | bem-vind* | interessante | parabens
aniversario | amig* | sorris* | kkk* | haha* | resolvid* | show | massa | top
gut | schon | danke | super | toll | buono | bello | bella | grazie | bene
""")

STRONG_POSITIVE = terms("""
love | loved | loves | lovely | great | awesome | amazing | excellent | perfect | best | fantastic
wonderful | brilliant | outstanding | superb | incredible | thank you so much | thanks so much
so helpful | great service | great job | well done | the best | fabulous | delicious | beautiful
encanta | encanto | encantad* | me gusta | amo | excelente | perfect* | el mejor | la mejor | increible
maravill* | fantastic* | espectacular | buenisim* | muchas gracias | mil gracias | genial
adore | j'adore | excellent* | parfait* | le meilleur | la meilleure | incroyable | merveille*
magnifique | genial | genialissime | superbe | merci beaucoup | mille mercis | trop bien
amo | amei | adoro | excelente | perfeit* | o melhor | a melhor | incrivel | maravilh* | fantastic*
sensacional | muito obrigad* | otim* | demais | perfeito
liebe | wunderbar | perfekt | grandioso | bellissim* | fantastico | ottimo
""")

NEGATORS = _wordset(
    "not no never dont don't doesnt doesn't didnt didn't isnt isn't wasnt wasn't cant can't cannot wont won't "
    "aint ain't without nor ni nunca sin jamas pas plus jamais ne n'est nao nem sem nunca nicht kein keine "
    "non niet nothing nobody none neither nadie nada ninguno ninguna rien personne aucun aucune ninguem "
    "wasn't wasnt weren't haven't hasn't havent hasnt"
)
INTENSIFIERS = _wordset(
    "very so really too extremely super totally absolutely muy tan demasiado super tres vraiment trop "
    "tellement muito tao demais bem sehr molto"
)

POSITIVE_EMOJI = (
    "😀😃😄😁😆😊☺😍🥰😘😗😙😚🙂🤗🤩😎👍👏🙌💪🎉🎊✨💯❤♥💕💖💗💓💞💘😻🌹🙏✌😂🤣😉😋🥳💙💚💛💜🧡🤍😇"
)
NEGATIVE_EMOJI = "🙃🤦😬😶😠😡🤬😤😒🙄😞😔😟😕🙁☹😣😖😫😩😢😭😰😱😨👎💔🤮🤢😑😐🖕💩😪😓"

# Everyday evaluative words with their inflections (2026-11-22, written for Heed): most tweets carry
# their opinion in plain words ("slow", "lenta", "nul", "ruim"), not in care phrases.
NEGATIVE += terms("""
uff | buu | puaj | agh | argh | meh | bleh | nah | ffs | omfg | jeez | yikes | eww | ew
fatal | horror | horroros* | espantos* | pesadilla* | desastre* | desastros* | decepcionante* | tristeza
enojo | cabread* | molesto | molesta | molestos | molestas | fastidi* | aburrid* | aburre | hartas
odiar | odian | odia | odie | odiamos | detesto | detest* | asquito | feo | fea | feos | feas | caros
carisim* | robar | roban | robaron | mienten | mintieron | engano | enganos | enganan | enganaron
abuso | abusiv* | injust* | inepto | inepta | ineptos | fracas* | fallaron | fallan | errores | dano
danad* | peligros* | sufr* | llorar | lloro | llorando | lastima | penoso | penosa | patetic* | estupidez
tonteria* | mediocre* | deficiente* | insoportable* | inservible* | desesperad* | desesperante
frustrad* | frustrante* | impotencia | indignad* | indignante | agotad* | no me gusta | no me gustan
ya basta | basta ya | que pena | que mal | q mal | que horror | sinverguenza* | chapuza* | timo | timad*
estafad* | ladron* | caos | colaps* | me quejo | denunci* | lamento | desgracia* | maltrato | grosero
grosera | groseros | groseras | maleducad* | prepotente* | tardisimo | lentitud | jodid* | maldit*
maldicion | que asco | vaya mierda | me tienen harto | me tienen harta | de mal en peor | para nada
naze | nase | pourri* | merdique* | affreu* | atroce* | pitoyable* | deception | colere | enervant*
agace* | agacant* | furieu* | fache* | ras le bol | relou | chiant* | galere* | bordel | ptn | deteste*
haine | hais | hait | souci* | lenteur* | chers | cheres | trop cher | voleur* | escroc* | mentir
mentent | angoiss* | stress* | epuis* | pleurer | tue | tuer | pires | malheur* | dommage | helas
injuste* | incompetent* | incapable* | absurde* | ridicule* | stupide* | debile* | foutu* | foutage
inutile* | difficile* | bof | mouais | pff | raler | ralent* | deconnect* | insatisfait*
mecontent* | pas content | pas contente | pas satisfait | pas satisfaite | deplorable* | horreur
cauchemar* | desastre* | n'importe quoi | se moque* | moquez | foutez
odeia | odiei | raiva | irritante* | chato | chata | chatos | chatas | chatice | tristeza | decepcao
frustrante* | lamentavel | lamentaveis | vergonhos* | droga | bosta | pqp | aff | affs | puts | putz
desrespeit* | falta de respeito | defeito* | lentidao | atrasad* | caros | carissim* | roubo | roubaram
ladrao | golpes | enganad* | mentiros* | preocupad* | exaust* | chorar | chorando | choro | sofr*
morreu | morto | morta | doente* | doenca | nojo | insuportave* | inutil | inuteis | incompetente*
mau | desisto | indignad* | revoltad* | revoltante | vacilo | vacilao | sacanagem | zoado | zuado
bugad* | travando | travou | trava | que merda | que droga | que raiva | que saco | saco cheio
furchtbar | schrecklich | enttauscht | argerlich | nervig | langsam | teuer | kaputt | wutend
katastrophe | pessimo | pessima | orribile | terribile | delusione | deluso | delusa | ladri | truffa
cazzo | vaffanculo | vergogna | incazzat* | odio
""")

POSITIVE += terms("""
buen | mejor | mejores | contento | contenta | contentos | contentas | alegr* | encantan | gusta
gustan | gusto | guapo | guapa | guapos | guapas | precios* | hermos* | chevere | bacan* | chulo | chula
mola | molan | guay | amable* | eficaz | eficiente* | comodo | comoda | util | agradec*
exito | exitos | gane | ganamos | felicidad* | enhorabuena | bravo | recomendable | idolo
amor | adoro | te quiero | besos | beso | abrazo* | jiji | xd | divertid* | diversion | ilusion
tranquil* | paz | bendicion* | bendecid* | de lujo | solucionad* | resuelt*
arreglad* | todo bien | buen trabajo | muy amable | muy bien | sin problemas | lo mejor
bons | bonnes | tres bien | trop bon | gentil* | adorable* | aimable* | ravi | ravie | ravis
satisfait* | joie | joyeu* | bonheur | bravo | remerci* | aime | j'aime | aimer | kiffe | kif | kiff*
efficace* | facile* | pratique | agreable* | beau | belle | beaux | belles | chouette | gagne*
victoire | reussi* | succes | resolu* | repare* | fonctionne bien | marche bien | nickel | impeccable*
meilleur* | bisou* | amour
felicidade | satisfeit* | adorei | gostei | gosto | curti | curtindo | vlw | valeu | agradec*
sucesso | ganhei | eficiente* | atencios* | gentil | gentileza | prestativ* | resolveu | funcionando
arrasou | arrasa | rsrs* | hehe* | beijo* | abraco* | fofo | fofa | querido | querida | melhor
melhores | kk | kkk*
klasse | lustig | froh | glucklich | freue | freuen | geil | schone | schoner
ottimo | ottima | bravo | brava | felice | contento | contenta | amore | evviva
""")

STRONG_POSITIVE += terms("""
encantan | maravillos* | increibles | buenisim* | lo maximo | genialisimo | chingon | me encanta
me encantan | te amo | los amo | mil gracias | gracias mil | muchisimas gracias
formidable* | merveilleu* | magnifique* | superbe* | genialissime | trop bien | j'adore
meilleur service | incroyable* | au top
incriveis | sensacional | maravilhos* | perfeita | perfeitos | adorei | amei | eu amo | te amo
muito bom | muito boa | obrigadao | sensacional
wunderbar | fantastisch | hervorragend | bellissim* | meraviglios* | stupend*
""")

STRONG_NEGATIVE += terms("""
pesimo servicio | pesima atencion | un asco | que asco | una mierda | de mierda | lo peor
me tienen harto | estoy harto | estoy harta | una verguenza | horribles | terribles
nul a chier | de merde | foutage de gueule | c'est nul | honteux | honteuse | lamentable
cest nul | scandaleux | ras le bol
uma merda | pessimo atendimento | pessima | horriveis | terriveis | odeio | que lixo | uma vergonha
""")

# good news that reuses a complaint word ("again"): the longer phrase wins, so it is listed as strong
STRONG_POSITIVE += terms("""
working again | works again | back up and running | up and running | back online | back to normal
vuelve a funcionar | ya funciona | ca remarche | ca marche enfin | voltou a funcionar | ja funciona
""")

POSITIVE += terms("""
chulisim* | risas | ya quiero
""")

NEGATIVE += terms("""
apesta* | miserable* | pobre | abandonad* | moche* | menac* | no soy capaz | flojera
""")

# German, Italian and Dutch basics (see intent_words): thanks and contentment, disappointment.
POSITIVE += terms("""
bedankt | dank je | dankjewel | dankuwel | tevreden | blij | danke | vielen dank | dankeschon
zufrieden | grazie | contento | contenta | soddisfatto | soddisfatta
""")

STRONG_POSITIVE += terms("""
geweldig | hervorragend | ottimo | ottima
""")

NEGATIVE += terms("""
teleurgesteld | slecht | kapot | storing | enttauscht | schlecht | kaputt | storung | deluso | delusa
guasto | disservizio
""")

STRONG_NEGATIVE += terms("""
waardeloos | unverschamt | pessimo | pessima | vergogna
""")

# A product that is hard to use, in plain words ("the new checkout is so clunky and confusing"): the
# model alone read that praise once "new ... so" had been seen mostly in praise (retrain of 2026-11-30)
NEGATIVE += terms("""
clunky | confusing | clumsy | cumbersome | unintuitive | not intuitive | hard to use | difficult to use
confuso | confusa | engorros* | lioso | liosa | pas intuitif | pas pratique | galere | compliqu*
""")
