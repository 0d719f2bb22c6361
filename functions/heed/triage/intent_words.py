"""Cue terms for intents and urgency in en, es, fr, pt, written for Heed. "*" is a prefix."""

from __future__ import annotations

from heed.triage.lexicon import terms

COMPLAINT = terms("""
still waiting | still no | still not | still haven't | still hasn't | no refund | not refunded | where is my
where's my | not working | doesn't work | does not work | isn't working | stopped working | won't load
can't log* | cannot log* | can't access | broken | cancelled my | canceled my | cancelled our | delayed
delay* | charged me | charged twice | double charged | overcharg* | never arrived | never received
hasn't arrived | didn't arrive | not delivered | lost my | lost our | damaged | wrong order | missing
worst | terrible | horrible | awful | unacceptable | ridiculous | useless | disappoint* | frustrat*
fed up | sick of | thanks for nothing | never again | no one | nobody | no response | no answer
hours on hold | on hold | days without | without internet | without service | no service | no signal
outage | is down | are down | went down | keeps crashing | crash* | error* | scam* | fraud | rip off
complain* | poor service | bad service | customer service | fix this | fix it | sort it out | rude
refund* | compensation | waste of | wasted | how long | why is | why does | why do | why are | why can't
pesimo* | pesima* | sigo esperando | seguimos esperando | todavia no | aun no | no me han | no han
sin respuesta | no funciona | no sirve | no anda | no puedo | no me deja | no llega | no llego | nunca llego
cancelaron | me cancelaron | retras* | me cobraron | cobro* | cobran | doble cobro | reembolso | devolucion
sin servicio | sin internet | sin luz | sin senal | caido | caida | se cayo | estafa* | fraude | reclam*
queja* | mal servicio | pesima atencion | una verguenza | inaceptable | lamentable | harto | harta
gracias por nada | nunca mas | otra vez | por que no | hasta cuando | cuanto tiempo | ni una respuesta
toujours pas | toujours en attente | j'attends | pas de remboursement | remboursez | ne marche pas
ne fonctionne pas | marche pas | fonctionne pas | en panne | panne | coupure | plus de reseau | pas de reseau
annule | annulee | retard* | facture* deux fois | preleve* | arnaque* | nul | nuls | honteux | inadmissible
service client | merci pour rien | plus jamais | marre | reclamation | pourquoi | scandale* | inacceptable
ainda nao | continuo esperando | cade meu | cade minha | cade o | nao funciona | nao consigo | nao chegou
nunca chegou | cancelaram | atras* | me cobraram | cobranca* | reembolso | estorno | sem servico
sem internet | sem sinal | fora do ar | caiu | golpe | fraude | reclama* | pessim* | descaso | absurdo
vergonha | lixo | obrigado por nada | nunca mais | de novo | por que | ate quando | ninguem responde
still happening | still broken | still down | still aren't | still isn't | still can't | still don't
still doesn't | still didn't | still have not | still has not | still nothing | still charg* | still wrong
not received | didn't receive | did not receive | haven't received | have not received | never got
didn't get | did not get | haven't got | haven't heard | not heard back | no reply | no replies
not responding | no one has replied | nobody has replied | no one replied | no one answers | ignored
ignoring | keeps | keep getting | keep saying | keep telling | keep dying | keep crashing | won't let
won't work | won't connect | won't open | won't turn on | won't charge | won't update | won't accept
will not | wont let | can't | cant | cannot | unable to | not able to | no longer | anymore | not loading
not showing | not appearing | not updating | not connecting | not letting | doesn't show | doesn't let
doesn't load | didn't work | did not work | wasn't | was not | weren't | haven't been | hasn't been
instead of | incorrect | the wrong | faulty | defective | glitch* | bug | bugs | buggy | issue | issues
problem | problems | failed | failing | fails | declined | denied | rejected | locked out | suspended
blocked | banned | frozen | freez* | lagg* | stuck | dropped | dropping | disconnect* | dead | died
dying | overbooked | stranded | missed my | missed connection | cancellation | rebooked | been charged
charging me | billed | multiple times | several times | every time | each time | 3rd time | third time
yet again | once again | seriously | wtf | smh | ugh | rufkm | come on | are you kidding | you're kidding
what is the point | what's the point | what is going on | what's going on | what happened | how come
how many times | how hard is it | how is it | why | tried everything | i've tried | i have tried
i tried | tried to | done that | did that | restarted | reinstalled | rebooted | was told | been told
told me | promised | supposed to | should have | not happy | unhappy | not impressed | not good enough
poor | annoy* | angry | upset | furious | livid | shocking | shocked | appalling | pathetic | sucks
hate | mess | nightmare | hassle | headache | incompetent | lied | liar* | false advertising
misleading | overpriced | never | fix | a fix | refuse* | slow | late | lost | missing | wrong
love how | love when | love it when | gotta love | got to love | so much for | yeah right | oh great
great another | thanks a lot | thanks for nothing | thanksfornothing | not my fave | not my favorite
no one | nobody | no help | not helpful | unhelpful | police | dispute | chargeback | stolen
no me llego | no he recibido | no recibi | sigue sin | sigo sin | seguimos sin | dias sin | semanas sin
horas sin | meses sin | no me responden | nadie responde | nadie me responde | nadie contesta
no contestan | no atienden | no me atienden | no pude | no se puede | no carga | no abre | error
problema* | falla* | fallo* | de nuevo | ya van | por tercera vez | varias veces | me cobran
cobraron | cargo | cargos | perdieron | extraviad* | danad* | roto | rota | incorrect* | equivocad*
demora* | tardan | tarda | lento | lenta | malisim* | no es posible | no puede ser | como es posible
expliquen | ya no | dejo de funcionar | dejo de | no entiendo | nadie | nunca | cancelado | cancelada
devuelvan* | quiero mi dinero | mi dinero | solucion* | arreglen | arreglar | una respuesta | mal
toujours rien | personne ne | aucune reponse | pas de reponse | ne repond | plus rien | impossible
encore | depuis | bug | probleme* | souci* | erreur | bloque* | coupe | lent | lente
nao recebi | ninguem | nao responde | nao resolve* | ja tentei | problema* | erro | demora* | lento
ruin* | barely | slower | worse | for ruining | just wonderful | just great | just perfect
won't | not found | don't have | half the time | i expect | expected | blank | no se encuentra
""")

QUESTION = terms("""
how do i | how can i | how to | how long | when will | when is | when does | where can | where is
what is | what's the | which | can you | could you | can i | could i | is there | are there | do you
does anyone | any update | any news | help me | please help | need help | i need | dm me | please advise
como puedo | como hago | cuando | donde | que pasa | que hago | pueden | podrian | puedo | hay alguna
alguien sabe | necesito | ayuda | ayudenme | me ayudan | por favor | info | informacion
comment | quand | ou est | ou sont | est-ce que | pouvez-vous | pouvez vous | puis-je | j'ai besoin
besoin d'aide | aidez-moi | svp | s'il vous plait | une info | des nouvelles
como faco | como posso | quando | onde | qual | quais | voces podem | podem | posso | alguem sabe
preciso | ajuda | me ajudem | por favor | informacao
""")

PRAISE = terms("""
thank you | thanks | thx | love | loved | great | awesome | amazing | excellent | perfect | best
fantastic | wonderful | brilliant | helpful | well done | kudos | shout out | shoutout | appreciate*
gracias | encanta | excelente | genial | increible | lo mejor | los mejores | felicidades | buenisim*
recomiendo | merci | j'adore | excellent* | parfait | top | bravo | genial | super | meilleur*
obrigad* | amei | amo | adoro | excelente | perfeit* | parabens | o melhor | otimo | otima | maravilh*
""")

FEEDBACK = terms("""
you should | you guys should | it would be | would be nice | would be great | would love | please add
suggest* | feature | idea | wish you | wish there | consider | feedback | improve* | how about | why not add
deberian | deberias | seria bueno | seria genial | estaria bien | sugerencia* | sugiero | propongo
podrian agregar | ojala pudieran | mejorar | vous devriez | ce serait bien | il faudrait | suggestion*
je suggere | ameliorer | idee | deveriam | seria bom | seria legal | sugestao | sugiro | melhorar | ideia
""")

SPAM = terms("""
follow me | follow back | followback | check out my | check my profile | free followers | buy followers
click here | click the link | link in bio | dm for promo | promo code | giveaway | win a free | win free
earn money | make money | work from home | crypto | bitcoin | btc | forex | investment opportunity
airdrop | nft | onlyfans | sigueme | siguenos | gana dinero | sorteo gratis | suivez-moi | gagnez
me segue | sigam | ganhe dinheiro | sorteio | 100% free | limited offer | casino | betting
from home | passive income | extra income | cash now | fast cash | easy money | get rich | dm me for
dm for more | whatsapp me | trading signals | binary options | claim your | you have won | you've won
free gift | free iphone | guaranteed income | make money online | desde casa | dinero facil
gana dinero desde | ingresos extra | argent facile | depuis chez vous | renda extra | dinheiro facil
""")

URGENT_OUTAGE = terms("""
outage | no service | service down | network down | is down | are down | went down | no signal
no power | power cut | no internet | without internet | without power | without service | blackout
sin servicio | sin senal | sin internet | sin luz | caido | caida | se cayo | apagon | corte de luz
corte de servicio | en panne | panne | coupure | plus de reseau | pas de reseau | sans internet
plus d'internet | hors service | fora do ar | sem servico | sem sinal | sem internet | sem luz | caiu
apagao | queda | offline
""")

URGENT_SAFETY = terms("""
dangerous | danger | unsafe | fire | smoke | explosion | exploded | injured | injury | hurt | gas leak
emergency | accident | hospital | electrocut* | burn* | poison* | threat* | harass*
peligro | peligros* | incendio | fuego | humo | explosion | exploto | herid* | fuga de gas | emergencia
accidente | quemadura* | intoxica* | amenaza* | acoso
dangereu* | incendie | feu | fumee | explose | blesse* | fuite de gaz | urgence | accident | brule*
menace* | harcelement
perigo | perigos* | incendio | fogo | fumaca | explodiu | ferid* | vazamento de gas | emergencia
acidente | queimadura* | ameaca* | assedio
""")

URGENT_FRAUD = terms("""
fraud* | scam* | stolen | hacked | hacker* | phishing | unauthorized | unauthorised | identity theft | not me who
fraude* | estafa* | robo | robaron | hacke* | suplantacion | cargo no autorizado | cargos no reconocidos
clonaron | clonada | arnaque* | escroquerie | escroc* | pirate | vol de donnees | usurpation
golpe | roubo | roubaram | clonad* | invadid* | nao reconheco
""")

ABUSE = terms("""
fuck* | fck* | fuk* | motherfuck* | shit* | bullshit | bitch* | asshole* | ass | arse* | dick*
cunt* | bastard* | idiot* | stupid* | moron* | dumb* | retard* | loser* | scum* | crap* | suck | sucks
liar* | pathetic | disgusting | fool | fools | clown* | whore* | slut* | hoe | hoes | nigga* | nigger*
fag* | stfu | gtfo | kys | kill yourself | go to hell | piece of shit | ugly | jerk* | douche* | idiotic
hypocrit* | coward* | psycho* | lunatic* | creep* | pedo* | pedophile* | thug* | libtard* | traitor*
racist* | nazi* | fascist* | pig | pigs | trash | garbage | damn | dammit | wtf | hell | screw you
shut up | disgrace* | ignorant* | corrupt* | freak* | twat* | prick*
phony | crook* | witch | nuts | puke | evil | delusional | deluded | delirious | hypocrisy | commie*
bugger* | butt | butthole | lunatic | scumbag* | degenerate* | sleaze* | sleazy | lowlife | vile
pendej* | cabron* | gilipolla* | imbecil* | idiota* | estupid* | inutil* | basura | hijo de puta
hijos de puta | hdp | puta | puto | putos | mierda* | culer* | mamon* | malparid* | carajo | joder
cono | boludo* | pelotud* | forro* | chinga* | verga | ladrones | ratas | payaso*
connard* | connasse* | conne | salaud* | salope* | encule* | batard* | abruti* | debile*
cretin* | ta gueule | fdp | ntm | pd | putain | merde* | bouffon* | nullard*
porra | caralho | merda | filho da puta | filha da puta | vagabund* | otario* | babaca* | burro*
foda-se | foda se | vai tomar no cu | vtnc | tnc | corno | safad* | canalha* | ladroes | lixo | imbecil*
""")

NEGATED_COMPLAINT_GUARD = terms("""
no problem | no problems | no issue | no issues | not bad | no complaints | nunca falla | sin problema*
can't wait | cant wait | cannot wait | never had a problem | never had an issue | never disappoint*
why not add | no te preocupes | no worries | never fails | not a problem | ningun problema
great customer service | great service | good service | excellent service | amazing service
good customer service | excellent customer service | thanks for checking | issue resolved | problem solved
fixed it | sorted it | all sorted | resolved | buen servicio | excelente servicio | excelente atencion
pas de probleme | sem problema*
""")

# Swearing at the situation, not at a person ("wtf", "joder", "putain", "porra"): a vented grievance.
# Listed words still count as abuse; with nothing else negative they make a complaint, not only abuse.
PROFANITY = terms("""
fuck | fucking | fuckin | fucked | fck | fcking | fkn | shit | shitty | bullshit | crap* | damn | suck | sucks | sucked
dammit | goddamn | wtf | hell | ffs | omfg | pissed | pissed off
joder | mierda | carajo | cono | puta madre | chingada | hostia | hostias | cagada | que mierda
putain | merde | ptn | bordel | fait chier | chier
porra | caralho | merda | pqp | puta que pariu | droga | bosta
scheisse | cazzo
""")

# Someone pointed at, then an insult within three words: "you are useless", "eres un inutil",
# "t'es nul", "voce e um idiota". A strong negative word after it counts as an insult.
INSULT_TARGET = terms("""
you | u | you're | youre | ur | y'all | yall | you guys | you people | you lot | your company
he is | he's | hes | she is | she's | shes | they are | they're | theyre | this guy | these people
bunch of | pack of
eres | sois | son unos | son unas | pedazo de | que eres | panda de | manga de | sos
t'es | tu es | vous etes | espece de | bande de
voce e | vc e | voces sao | vcs sao | seu bando de | bando de
""")

ABUSE += terms("""
clueless | snowflake* | narcissist* | deviant* | putrid | criminal | criminals | thief | thieves
idiots | imbecile* | halfwit* | dimwit* | dipshit* | dumbass* | jackass* | dumbfuck* | numpty | muppet*
tosser* | wanker* | knob | knobhead* | pillock* | plonker* | bellend* | cretin* | buffoon*
clowns | fraudster* | charlatan* | grifter* | parasite* | leech* | vermin | rat | rats
snake | snakes | weasel* | liars | losers | deplorable* | sheeple | cuck* | incel* | simp
pervert* | perv | sicko* | nutjob* | nutcase* | wacko* | loon | loony | looney | troll | trolls | bigot*
tonto | tonta | tontos | tontas | bobo | boba | menso | mensa | baboso* | idiotez | subnormal* | tarado*
retrasad* | zorra* | perra* | cerdo | cerdos | cerda | ladron | rata | sinverguenza* | mamerto* | gonorrea
pelmazo | capullo* | mamaguevo* | huevon* | weon* | culiao* | conchetumare | ctm | hpta
tocard* | blaireau* | bouffon | guignol* | clown | raclure*
ordure* | pourriture* | enfoire* | fils de pute | pute | gros con | sale con | casse toi | degage
idiot | idiote | idiots | imbecile | imbeciles | debile | cretin | cretins | abruti | abrutie
otaria | otarios | trouxa* | idiota | idiotas | palhaco* | escroto* | nojento*
arrombad* | desgracad* | lixo humano | verme | vagabundo | vagabunda | cuzao | fdp | pau no cu
""")

# Problem statements in plain words (2026-11-22): failures stated as facts, attempts that led nowhere.
COMPLAINT += terms("""
stopped connecting | stopped loading | stopped charging | stopped syncing | stopped showing
stopped responding | stopped sending | stopped receiving | stopped updating | stopped playing
stopped streaming | quit working | no longer works | no dice | no luck | no change | no changes
nothing changed | didn't help | did not help | didn't fix | did not fix | doesn't help | still the same
same problem | same issue | too many times | to many times | so many times | couldn't | could not
wasn't able | weren't able | were not able | messed up | screwed up | mixed up | mould | mouldy | moldy
mold | expired | stale | rotten | undercooked | inconvenienced | inconvenience | inconvenient
didn't even | did not even | didn't show up | no show | never showed | never came | didn't come
thanks for just | thank you for just | how are we supposed | how am i supposed | how on earth
got hacked | was hacked | been hacked | account hacked | gouging | overcharging | hidden fees
no me sirve | no sirvio | no hay manera | ya no funciona | dejo de funcionar | me robaron | no me llega
siguen sin | sin solucion | nadie me ayuda | llevo dias | llevo semanas | llevo horas | llevo meses
llevo mas de | hace dias | hace semanas | ya reclame | ya llame | he llamado | no me dejan
no me dan | no me devuelven | no me resuelven | no resuelven | no solucionan | no hay solucion
mala atencion | mal atendido | me cortaron | me dieron de baja | me quitaron | me descontaron
cobro indebido | cargo indebido | no reconozco | no autorice | se me cobro
toujours le meme probleme | ca bug | ca rame | rame | ne recois | pas recu | jamais recu
aucune nouvelle | sans nouvelles | on m'a facture | depuis des jours | depuis des semaines
depuis hier | depuis ce matin | resiliation | je vais resilier
ja liguei | ja reclamei | faz dias | faz semanas | ha dias | ha semanas | ninguem resolve | nao resolveram
nao chega | nao funcionou | parou de funcionar | me cobrando | cobranca indevida | nao reconheco
""")

NEGATED_COMPLAINT_GUARD += terms("""
working again | works again | back up and running | up and running | back online | back to normal
vuelve a funcionar | ya funciona | ca remarche | ca marche enfin | voltou a funcionar | ja funciona
""")

COMPLAINT += terms("""
never flying | never fly with | never buying | never ordering | never using | never shopping
could do better | can do better | do better | jamas volvere | nunca volvere | no vuelvo a
nunca mais compro | nunca mais volto | je ne reviendrai
""")

# Round 3 (2026-11-22): the customer-care register, written as general patterns. "<n>" is any number.
# Durations and counts: "waiting <n> days", "llevo <n> dias", "ya van <n> dias", "depuis <n> jours".
_UNITS = terms("""
minutes | mins | hours | hrs | days | weeks | months | times | calls
minutos | horas | dias | semanas | meses | veces | llamadas | heures | jours | semaines | mois | fois
""")
_BEFORE_DURATION = terms("""
waiting for | waited | been waiting | on hold for | over | more than | for over | for the past | for the last
llevo | llevamos | lleva | llevan | ya van | van | hace | desde hace | mas de | esperando | tras
depuis | ca fait | plus de | faz | ha | mais de | esperando ha
""")
COMPLAINT += [f"{before} <n> {unit}" for before in _BEFORE_DURATION for unit in _UNITS]
COMPLAINT += [
    f"<n> {unit} {after}" for unit in _UNITS for after in ("later", "now", "ago", "y nada", "sin", "without")
]
COMPLAINT += terms("""
for the <n> rd time | for the <n> th time | for the <n> nd time | <n> rd time i | <n> th time i | <n> nd time i
<n> rd time this | <n> th time this | <n> nd time this | <n> th time in | <n> rd time in | called <n> times | <n> times now | <n> calls | <n> emails
<n> hours on hold | <n> mins on hold | <n> minutes on hold | <n> days late | <n> hours late | <n> hours delay*
""")
COMPLAINT += terms("""
stopped | keeps on | constantly | randomly | by itself | on its own | out of nowhere | yet another
again | the heck | what the hell | heck | is this a joke | is this normal | is it normal | standstill
is there a reason | what's the reason | any reason why | reason why | how much longer | how long until
how long before | how long do i | how long does it take | when will i get | when will i receive
when will it be | when will this be | when will you fix | when will my | when will it | when is my
where is the | where's the | waiting for | been waiting | waited | waiting on | hear back | heard back
get back to me | got back to me | and nothing | but nothing | nothing since | nothing yet | nothing back
heard nothing | nothing helped | nothing worked | none of | no one has | no one is | no one will
can someone please | can someone help | can somebody | someone please | somebody please | anyone there
is anyone | is anybody | actually answer* | actually respond* | actually repl* | actually help*
actually fix* | actually read | actually listen* | would be nice if someone | would be nice to hear
please fix | please sort | sort this | sort it | sorted out | look into this | look into it | trouble
having trouble | having issues | having problems | having an issue | having a problem | throttl*
lie | lies | lying | cancelled | canceled | rescheduled | out of stock | left my | left behind
no excuse | excuse | unsatisf* | dissatisf* | not satisf* | paying for | i pay for | what i paid
not what i ordered | not what i paid | switching to | switch to | going to switch | switching provider*
cancel my | cancelling my | canceling my | close my account | closing my account | report you
reporting you | consumer rights | trading standards | ombudsman | better business bureau | bbb | fcc
attorney | lawyer | small claims | legal action | elsewhere | wish i'd | wish i had | lost a customer
lost me | cheers for that | oh wonderful | how nice
""")
COMPLAINT += terms("""
no se me acredit* | no me acredit* | no acredit* | no se acredit* | no se reflej* | no aparece
no me aparece | no me sale | me sale error | me sale un error | me aparece error | rechaz* | bloquead*
robando | nos roban | me roban | robo | no me ha llegado | no ha llegado | no han llegado | aun no llega
todavia no llega | no llegan | verguenza | es una verguenza | peor | la peor | el peor | lo peor
empeor* | desagradable | descortes | grosero* | maleducad* | mala experiencia | mal trato | maltrato
tardan | tardaron | tardando | tarden | demasiado tiempo | de cona | de broma | estais de | me estan
urgente | se reinicia | se apaga | se traba | se congela | se cuelga | no enciende | no prende
no conecta | no se conecta | no tengo senal | no tengo internet | no tengo servicio | no tengo luz
reembols* | devolver | devuelvanme | me tienen | cuando van a | cuando me van a | cuando piensan
atencion al cliente | servicio al cliente | servicio tecnico | me cobraron de mas | cobraron de mas
cobro de mas | cobrado de mas | cobro doble | cobraron dos veces | me cobran de mas | cargo doble
cancelar | dar de baja | darme de baja | me doy de baja | me voy a cambiar | me cambio a | me paso a
cambiarme de | me voy con | me voy a | profeco | ocu | facua | sernac | indecopi | defensa del consumidor
hoja de reclamaciones | libro de reclamaciones | denuncia* | denunciar | demandar* | abogado
donde esta mi | donde esta el | donde esta la | y mi pedido | mi pedido | mi paquete | mi envio
no he podido | no hemos podido | no pude | no puedo | no me dejan | no responden | no contesta*
ni siquiera | ninguna respuesta | ninguna solucion | sin solucion | sin respuesta | nadie
ya es la | por enesima vez | cada vez que | siempre lo mismo | lo mismo de siempre | ya estoy cansad*
estoy cansad* | estoy harto | estoy harta | que mal | muy mal | fatal | no sirven | no sirve para nada
no hay derecho | tomadura de pelo | me dejaron | me dejan | nos dejaron | sin avisar | sin aviso
no me avisaron | no avisan | siguen cobrando | me siguen | mal servicio | servicio pesimo | servicio malo
pesimo servicio | malisimo servicio | no me resolvieron | nadie me da | nadie da | una solucion
""")
COMPLAINT += terms("""
toujours rien | ca ne marche | ne marche plus | ne fonctionne plus | plus de connexion | pas de connexion
pas de reponse | aucune solution | service client | personne ne repond | depuis <n> | je vais partir
je resilie | resilier | changer d'operateur | ufc que choisir | 60 millions | associations de consommateurs
""")

NEGATED_COMPLAINT_GUARD += terms("""
it worked | that worked | this worked | worked now | works now | working now | all good now
that fixed it | this fixed it | thanks again | thank you again | again thanks | again thank you
all sorted now | ya se soluciono | ya quedo | ya esta resuelto | ya se resolvio | ya me llego
ya llego | ya funciona | problema resuelto | ca marche | c'est regle
""")

COMPLAINT += terms("""
got into my account | got to my account | someone accessed | changed my email | changed my password
be fixed | get fixed | gets fixed | getting fixed | heard zero | zero response | zero help | not concerned
don't care | doesn't care | do not care | does not care | without picking | without notice | without warning
without telling | closed | false charge | unknown charge | unrecogni* | fraudulent | doesn't allow
does not allow | not allowed | don't get it | there is no | there's no | bugfest | no les importa
no les interesa | les da igual | sin avisarme
""")

COMPLAINT += terms("""
over and over | hard to | call this | you call this | how does that help | how much does that help
didn't subscribe | never subscribed | didn't sign up | never signed up | didn't order | did not order
never ordered | didn't authori* | did not authori* | didn't agree | despite | already did | already done
already tried | already have | already did that | weeks ago | days ago | months ago | hours ago
please reply | please respond | please answer | reply please | respond please | any response | any reply
happened before | happened again | this happened | everytime | every single time | do you expect
do u expect | expect me to | expect people | unfortunately | sadly | bleak | for past | hold for
desafortunadamente | lamentablemente | por desgracia | otra vez lo mismo | ya lo hice | ya lo intente
ya hice | ya probe | hace <n> | malheureusement | infelizmente | ja fiz | ja tentei
""")
COMPLAINT += [
    f"{before} <n> {unit}"
    for before in ("for past", "past", "hold for", "for like", "like")
    for unit in _UNITS
]

COMPLAINT += terms("""
incomplet* | llego frio | llego fria | llego golpead* | golpead* | llego roto | llego rota | llego mal
llego danad* | llego abierto | no me dieron | no me dan | no es la que | no es lo que | no es el que
no corresponde | dice que no estaba | estuve todo el dia | cambiaron mi | me cambiaron | parado | parada
atascad* | sin moverse | no se mueve | no avanza | chegou quebrado | veio errado
""")

COMPLAINT += terms("""
sans connexion | sans reseau | sans tele | sans television | sans telephone | sans service* | couper
reparer | je n'ai pas | je n'ai plus | ca commence a etre long | toujours pas de | dommage | honte
""")

COMPLAINT += terms("""
still need | until it's fixed | until it is fixed | until fixed | every day | everyday | had to ask
had to call | had to wait | had to pay | had to | isn't helping | not helping | unprepared | help me
please help | pls help | plz help | help please | need help | need assistance | what kind of | get real
since day | less usable | unusable | way less | i left | left them | left it | no info | no information
laughable | not getting | not receiving | mediocr* | end up with | ended up with | pay attention
after update | after the update | after updating | since the update | since updating | with the update
ughh | argh | arghh | grr | to no avail | no avail | kept | keep on | <n> times
ayuda por favor | ayudenme | necesito ayuda | me ayudan | me pueden ayudar | alguien me ayuda
desde la actualizacion | despues de actualizar | aide svp | aidez moi | besoin d'aide
""")

# A failure told in a negated verb: "it doesn't charge", "the code didn't come", "the app isn't
# syncing", "my refund hasn't shown up". In care traffic these are problem reports far more often
# than not; the guards above take back "no problem", "not bad", "can't wait".
COMPLAINT += terms("""
doesn't | didn't | isn't | hasn't | haven't | aren't | does not | did not | is not | has not | have not
""")
NEGATED_COMPLAINT_GUARD += terms("""
doesn't matter | didn't know | did not know | isn't it | isn't that | doesn't it | didn't you | haven't you
hasn't been easier | didn't expect such | didn't disappoint | doesn't disappoint | isn't bad | wasn't bad
""")

COMPLAINT += terms("""
shouldn't | should not | not to work | decides not | still sitting | still stuck | past departure
too much | too many | too long | too slow | too expensive | do not want | don't want | nowhere
no where | misship* | if you can actually | or not | going back to | need to change | you need to
return these | return this | return it | want to return | miss out | missed out
""")

# Round 4 (2026-11-22): an unwanted state of affairs told as a plain fact is a complaint in care
# traffic. General register, no topics: an expectation broken ("even though", "only to", "after
# paying"), something done to the customer's things ("logged me out", "deleted my", "went up"),
# damage on arrival, time spent in a bad state ("for days", "since yesterday"), money taken.
_TIME_UNITS = ("minutes", "mins", "hours", "hrs", "days", "weeks", "months")
_TIME_COUNTS = ("two", "three", "four", "five", "six", "several", "a few", "a couple of", "couple of")
COMPLAINT += terms("""
even though | even after | even when | even tho | only to | after paying | after waiting | after calling
after spending | after ordering | after buying | after booking | after being told | after all this
logged me out | logs me out | logging me out | kicked me out | kicked me off | kicks me out | kicks me off
signed me out | signs me out | keeps logging | keeps signing | cuts out | cutting out | cut out on me
goes black | went black | black screen | blank screen | white screen | shuts off | shuts down | turns off
turned off by itself | restarts itself | reboots itself | drains | draining | overheat* | leaking | leaks
cracked | shattered | ripped | dented | scratched | smashed | spilled | melted | soggy | arrived cold
came cold | was cold | empty box | empty package | wrong size | wrong item | wrong colour | wrong color
not the one i | deleted my | deleted all | erased | wiped | disappeared | vanished | went missing
gone missing | bill went up | price went up | went up | gone up | doubled | tripled | increased my
raised my | raised the price | price hike | auto renew* | renewed my | keeps dropping | drops every
drops out | dropped calls | drops calls | whenever i | every evening | every night | every morning
every week | with no explanation | with no notice | with no notification | with no warning
with no reason | with no update | with no updates | with no info | with no information | no explanation
no notification | without explanation | without any explanation | without any notice | since yesterday
since monday | since tuesday | since wednesday | since thursday | since friday | since saturday
since sunday | since last | since this morning | since early | since the weekend | since <n> am
since <n> pm | since <n> <n> am | since <n> <n> pm | since the <n> th | since the <n> st | since the <n> nd
for days | for weeks | for months | for ages | for a week | for a month | for an hour | for over a
second time | fourth time | fifth time | again and again | was charged | got charged | were charged
charged for | charged a | a fee i | extra fee | late fee | hidden fee | charge i | charges i | debited
deducted | took money | taken money | taken from my | taking back | bummer | a hair in | hair in my
bone in my | bug in my | fly in my | glass in my | tried resetting | tried restarting | tried reinstalling
tried calling | tried contacting | been like this | how are we going | how am i going | how is that
hangs up | hung up | hanging up | twice now | twice | the opposite | gave up | giving up | or even
even reply | even respond | even answer | even call | is it back | back up yet | still on hold | put on hold
""")
COMPLAINT += [f"for {count} {unit}" for count in _TIME_COUNTS for unit in _TIME_UNITS]
COMPLAINT += terms("""
absolute joke | a joke | total joke | complete joke | such a joke | what a joke | shit together
act together | get it together | don't offer | don't even | don't bother | nice to know
""")

# German, Italian and Dutch are recognised and answered in the brand's default language; their
# plainest thanks and problem words keep a thank-you out of the complaint queue (2026-11-22).
PRAISE += terms("""
bedankt | dank je | dank u | dankjewel | dankuwel | geweldig | tevreden | heel blij | erg blij
danke | vielen dank | dankeschon | danke schon | zufrieden | hervorragend | sehr gut
grazie | grazie mille | ottimo | ottima | contento | contenta | soddisfatto | soddisfatta
""")

COMPLAINT += terms("""
nog steeds niet | niet aangekomen | niet ontvangen | werkt niet | doet het niet | klacht | storing
kapot | teleurgesteld | waardeloos | geen reactie | geen antwoord | geen bereik | geen internet
terugbetaling | nog altijd niet
immer noch nicht | noch nicht angekommen | nicht angekommen | funktioniert nicht | geht nicht
kaputt | storung | beschwerde | reklamation | enttauscht | unverschamt | keine antwort | kein netz
kein internet | ruckerstattung | schon wieder
non funziona | non e arrivato | non e ancora arrivato | ancora niente | non ho ricevuto | guasto
guasti | disservizio | pessimo | pessima | deluso | delusa | vergogna | rimborso | nessuna risposta
senza linea | senza rete
""")

# Failure words of devices and apps (2026-11-22): what a product does when it is broken.
COMPLAINT += terms("""
messes up | messing up | stutter* | out of action | unobtainable | laggy | choppy | keeps skipping
keeps crashing | keeps freezing | keeps buffering | keeps dropping | keeps logging me out
""")

# Relief, not a problem: "next time I won't have to pay", "luckily didn't lose my slot".
NEGATED_COMPLAINT_GUARD += terms("""
won't have to | wont have to | don't have to | dont have to | didn't have to | didnt have to
no longer have to | didn't lose | didnt lose | didn't loose | didnt loose
""")

# Spanish first (issue 12 item 7, 2026-11-30): durations written in words after a verb of waiting
# ("lleva una semana", "llevo dos meses", "ya van tres días"), and complaints asked as questions ("¿es
# normal que...?", "¿me estás diciendo que...?"). Not years ("llevamos tres años con vosotros" is
# loyalty), not "desde hace" / "más de" ("cliente desde hace diez años"; a bare "desde hace", a
# complaint term since 2026-11-22, is dropped for the same reason: "desde hace <n> días" stays), not
# "desde cuando" (also
# "since when they opened"), "me están diciendo" (they are telling me) or a bare "se supone que"; not
# "como que" (a filler: "es como que...") nor "en serio" ("en serio, gracias").
_ES_NUMBER_WORDS = {
    "un": ("dia", "mes"),
    "una": ("hora", "semana"),
    **{
        n: ("horas", "dias", "semanas", "meses")
        for n in (
            "dos",
            "tres",
            "cuatro",
            "cinco",
            "seis",
            "siete",
            "ocho",
            "nueve",
            "diez",
            "doce",
            "quince",
            "veinte",
        )
    },
}
_ES_BEFORE_DURATION = ("llevo", "llevamos", "lleva", "llevan", "ya van", "van", "esperando")
COMPLAINT += [
    f"{before} {number} {unit}"
    for before in _ES_BEFORE_DURATION
    for number, units in _ES_NUMBER_WORDS.items()
    for unit in units
]
COMPLAINT += terms("""
es normal que | es normal esto | esto es normal | me estas diciendo | no se supone | apagon | apagones
mas por lo mismo | menos por lo mismo
""")

# The French everyday register of outage threads and listening posts (fresh customer-care sample C,
# 2026-11-30, README): a problem stated as a fact or an order to the brand, with no emotion word and
# often no handle ("ça capte plus", "remettez la co", "bougez-vous"); and English pleas to stop.
COMPLAINT += terms("""
capte plus | capte pas | ca capte | plus de co | pas de co | plus de connexion | pas de connexion
sans connexion | sans connection | plus de connection | plus internet | pas internet | plus d'internet
plus de tele | plus de tv | plus de telephone | plus de ligne | plus de wifi | pas de wifi | remettez
remettre la co | remettre internet | remettre le reseau | retablissez | redemarre en boucle
reboot en boucle | plante en boucle | que sauter | ca saute | ca coupe | ca decroche | beug* | ca lag
infernal | infernale | incompetence | incompetent* | incapable | incapables | pas normal | normal que
est ce normal | mene en bateau | menez en bateau | menent en bateau | foutage de gueule | ras le bol
jamais la quand | jamais present* | jamais joignable* | injoignable* | bougez vous | depechez
on fait comment | catastroph* | n'importe quoi | la honte | deplorable | aucune action | aucun retour
sans reponse | marche plus | fonctionne plus | toujours coupe | encore coupe
can you stop | please stop | stop texting | stop sending | stop spamming | stop calling me | stop emailing
do you expect | you expect me | expect people to | expect us to
clunky | confusing | cumbersome | unintuitive | hard to use | difficult to use | pas intuitif | engorros*
""")

# A customer about to leave, or still waiting for the end of a case, says so without a problem word:
# "going to see what other companies offer", "taking my business elsewhere", "hoping for a resolution"
COMPLAINT += terms("""
other companies | other providers | another provider | another company | switch to another
switching providers | go elsewhere | going elsewhere | take my business | taking my business
hoping for a resolution | hope to get a resolution | no resolution | any resolution | where are the rest
where is the rest | where r | u expect | engine fault | at fault | your fault | cambiarme de compania
me cambio de compania | me voy a la competencia | changer d'operateur | je vais partir chez
""")

# A fix named with the problem, in a support thread ("restarting does resolve the issue. thanks"):
# each takes back the problem word's complaint cue (fresh customer-care sample D, 2026-11-30)
NEGATED_COMPLAINT_GUARD += terms("""
resolve the issue | resolves the issue | resolved the issue | resolved my issue | issue solved
issue fixed | issue resolved | problem fixed | fixed the issue | fixed the problem | fixed my issue
solved the issue | solved the problem | solved my problem | sorted the issue | sorted the problem
zero delays | zero delay | no delays | no delay | without delay | without delays | zero issues
zero problems | zero complaints | no queue | no queues | no fees | no hidden fees | no hidden charges
""")
