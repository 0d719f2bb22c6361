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
pas de probleme | sem problema*
""")
