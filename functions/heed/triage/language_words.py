"""Frequent words per language, written for Heed (not taken from any corpus): function words,
everyday verbs and the informal spellings of social media. Accents are stripped at look-up, so
the lists are written without them. A word in several lists counts for each, split evenly."""

from __future__ import annotations

EN = """
issue problem service customer support account order help refund delivery waiting waited
flight phone internet app update working broken anyone hey hi hello guys everyone stuff thing things
beautiful funny excited tired sorry sad angry mad sure maybe probably actually literally pretty kinda
the a an and or but if of to in on at for from with by about as into over after before than
is are was were be been being am isn't aren't wasn't weren't do does did don't doesn't didn't
have has had haven't hasn't i you he she it we they me him her us them my your his its our their
mine yours this that these those there here what which who whom whose when where why how
not no yes just so very too also really all any some every each more most much many other
can can't cannot could couldn't will won't would wouldn't should shouldn't must may might shall
i'm i've i'll i'd you're you've you'll he's she's it's we're we've they're they've that's what's
let's there's get got getting go going gone went come came make made take took know knew think
thought want wanted need needed like love hate see saw say said tell told give gave still now
today tonight tomorrow yesterday never ever always again only even back out up down off then
because since while until though although ya gonna wanna gotta lol omg lmao wtf idk tbh btw
thanks thank please day night time people good bad great best worst new old way well right one
week year years being doing something nothing anything everything someone anyone everyone
would've should've could've ain't y'all u ur im dont cant wont didnt doesnt isnt thats whats
watch watching happy birthday game show first last next world life going into us via just
with without why who's where's amazing awesome guys man oh wait fuck shit damn
"""

ES = """
servicio cliente atencion cuenta pedido ayuda reembolso entrega esperando espera vuelo telefono
internet aplicacion funciona roto alguien oye hola chicos gente genial hermoso gracioso cansado triste
enojado seguro quizas verdad bonito feliz navidad partido gobierno presidente pais vida mundo amigo
amigos amiga novio novia casa trabajo dinero semana mes hermano mama papa hijo jajajajaja wey guey
che boludo tio vale venga hostia joder mierda puta ahora necesito nadie llamar llame nunca
el la los las un una unos unas y o pero si de del al a en con por para sin sobre entre hasta
desde es son era eran fue fueron ser estar esta estan estoy estas estaba he ha han hemos hay
haber habia yo tu el ella nosotros ellos ellas me te se nos les le lo mi mis tus su sus nuestro
que quien cual cuando donde como porque por que muy mas menos tambien tampoco ya todavia aun
no si nunca siempre nada todo todos toda todas algo alguien nadie este esta estos estas ese esa
eso esos esas aqui alli ahi hoy ayer manana ahora luego despues antes bien mal mejor peor
gracias hola adios favor bueno buena buenos buenas dia dias noche tengo tiene tienen tenemos
puedo puede pueden quiero quiere hacer hace hizo voy vas va vamos van ir dijo decir creo
pues asi cada otro otra otros mucho mucha muchos muchas poco poca vez veces tan tanto solo
jaja jajaja jajajaja jeje q xq pq tb tmb xd dsd ud uds usted ustedes vos sos sera seria
estamos estais teneis hoy gente año anos cosa cosas mismo misma nuevo nueva ojala vale
hasta mientras aunque ni le dar da dan ver vez hay hecho sigue seguir siempre pronto donde
llevo llevamos sido tenia tendra
"""

FR = """
service client compte commande aide remboursement livraison attente vol telephone application
marche casse quelqu'un coucou genial beau belle drole fatigue triste enerve sur peut-etre vrai
heureux joyeux gouvernement president pays vie monde ami amis copain maison travail argent semaine
mois frere maman papa fils putain merde chiant depuis toujours encore jamais rien sont etaient veut
nouveau nouvelle grand grande petit petite premier premiere dernier derniere hui aujourd
le la les un une des et ou mais si de du au aux a en dans sur sous pour par avec sans chez
est sont etait etaient ete etre suis es sommes etes ai as avons avez ont avait avoir fait
faire je tu il elle on nous vous ils elles me te se moi toi lui leur leurs mon ma mes ton ta tes
son sa ses notre nos votre vos ce cet cette ces ca cela ceci qui que quoi dont ou quand comment
pourquoi ne pas plus jamais rien personne tout tous toute toutes tres trop aussi encore deja
bien mal mieux oui non merci bonjour bonsoir salut aujourd'hui hier demain maintenant apres
avant alors donc car parce puis peu beaucoup autre autres meme comme quel quelle quels quelles
c'est j'ai j'aime n'est n'ai n'a qu'il qu'on d'un d'une l'on s'il j'en m'a t'es y'a vraiment
peut peux veux veut faut va vais vont fois jour jours nuit chose choses gens mdr ptdr lol jsp
cest jai pk pcq bcp tjrs svp stp slt aussi voila ici la-bas quoi ben bah ouais euh
"""

PT = """
servico atendimento conta pedido ajuda reembolso entrega esperando espera voo telefone
internet aplicativo funciona quebrado alguem galera lindo linda engracado cansado triste bravo certeza
talvez verdade feliz governo presidente pais vida mundo amigo amigos amiga namorado namorada casa
trabalho dinheiro semana mes irmao mae pai filho hj kd vdd mt mto mta to ne ce pqp aff parabens obg
bjs beijo beijos legal programa saudade saudades vergonha cara tipo nois nossa caramba porra merda
tomara faltou perde perdeu ganhou ganhador delicia sensacional melhor fala falou acabou comeca
comecou vem vai vou ver viu olha gosto gosta adoro amo amei demais tava estava ficou fica agora
o a os as um uma uns umas e ou mas se de do da dos das no na nos nas em por pelo pela pelos
pelas para pra pro com sem sobre entre ate desde e sao era eram foi foram ser estar esta estao
estou estava tem tenho temos tinha ter eu tu ele ela nos voces eles elas me te se lhe lhes
meu minha meus minhas teu tua seu sua seus suas nosso nossa que quem qual quando onde como
porque porque nao sim nunca sempre nada tudo todos toda todas algo alguem ninguem este esta
estes estas esse essa isso esses essas aqui ali hoje ontem amanha agora depois antes bem mal
melhor pior obrigado obrigada ola oi tchau favor bom boa bons boas dia dias noite posso pode
podem quero quer fazer faz fez vou vai vamos vao ir disse dizer acho entao assim cada outro
outra outros muito muita muitos muitas pouco pouca vez vezes tao tanto so ja ainda tambem
kkk kkkk kkkkk rs rsrs vc vcs voce q pq tb tbm nao eh ta tá to tao cade hein ne gente mesmo
mesma coisa coisas ano anos aí ai la isso nessa nesse desse dessa num numa pra ate tava
papo acha aconteceu acontece homens mulheres arrasou
rei rainha dmais foda vtnc migo miga brasil brasileiro brasileira novela
voces voce ficar fiquei achei achou gostei amando adorei torcendo galera mano mina bixo vamo
tamo tamos pode podia deveria queria sei sabe sabia mais menos muito tudo hoje entao ninguem
moça moço senhor senhora jogo time gol copa lindo lindos lindas fofo fofa
"""

DE = """
kunden dienst konto bestellung hilfe erstattung lieferung warten flug telefon internet
funktioniert kaputt jemand leute schon schön schone lustig mude traurig sauer sicher vielleicht wirklich
glucklich regierung land leben welt freund freunde freundin haus arbeit geld woche monat bruder mutter
vater sohn scheisse endlich leider heute morgen abend etwas viel viele neue neuen neu diese dieser
dieses jeder jede mir dir ihm ihn ihnen wieso weshalb deshalb also eigentlich wirklich trotzdem
gibt's geht's nix nen ne net halt eben gleich schon fast ganz wenig
der die das den dem des ein eine einen einem einer eines und oder aber wenn weil dass von zu
zum zur im in an am auf aus bei mit nach seit fur uber unter vor ohne gegen ist sind war waren
sein bin bist seid habe hast hat haben hatte ich du er sie es wir ihr mich dich sich uns euch
mein meine dein deine sein seine unser euer was wer wie wo warum wann welche welcher nicht kein
keine ja nein nie immer nichts alles alle auch noch schon sehr mehr nur so hier da dort heute
gestern morgen jetzt dann danke bitte hallo gut schlecht besser man mal doch ganz wieder
gibt geht kann konnen will wird werden wurde muss mussen soll darf mag gerade einfach
"""

IT = """
servizio cliente conto ordine aiuto rimborso consegna attesa volo telefono funziona rotto
qualcuno ragazzi bello bella divertente stanco triste arrabbiato sicuro forse vero felice governo
presidente paese vita mondo amico amici amica casa lavoro soldi settimana mese fratello mamma papa
figlio cazzo merda sono siamo siete stato stata fatto fatta ancora sempre allora quindi pero perche
qualcosa nulla niente tanto troppo tutti ogni nuovo nuova grande piccolo primo ultimo renzi italia
italiani governo riforma scuola voto dopo ieri stasera stamattina ahah ahahah buona notte
il lo la i gli le un uno una e o ma se di del dello della dei degli delle a al allo alla ai
agli alle da dal dalla in nel nello nella nei negli nelle con su sul sulla per tra fra senza
e sono era erano stato essere ho hai ha abbiamo avete hanno avere io tu lui lei noi voi loro
mi ti ci vi si mio mia miei mie tuo tua suo sua nostro vostro che chi cosa quale quando dove
come perche non si mai sempre niente tutto tutti tutta anche ancora gia molto piu poco bene
male meglio oggi ieri domani adesso ora poi prima grazie ciao buongiorno buonasera questo
questa questi queste quello quella fare fatto detto dire sempre anche solo cosi ecco
"""

NL = """
klant dienst account bestelling hulp terugbetaling levering wachten vlucht telefoon internet
werkt kapot iemand mensen mooi leuk grappig moe verdrietig boos zeker misschien echt blij regering
land leven wereld vriend vrienden huis werk geld week maand broer moeder vader zoon kut verdomme
de het een en of maar als van te in op aan bij met naar uit voor door over onder zonder tegen
is zijn was waren ben bent heb hebt heeft hebben had ik jij je hij zij ze wij we jullie mij
me hem haar ons hun mijn jouw zijn onze wat wie welke hoe waar waarom wanneer niet geen ja nee
nooit altijd niets alles allemaal ook nog al heel meer maar zo hier daar er vandaag gisteren
morgen nu dan dank bedankt alsjeblieft hallo goed slecht beter wel toch even kan kunnen wil
wordt worden moet moeten mag dit dat deze die
"""

# Spanish customer-care vocabulary (2026-11-22)
ES += """
tarjeta paquete repartidor factura cobro cobros senal equipaje pasaje devolucion llevo lleva
llevamos cuatro diez aduana aduanas llame escribi ustedes maleta viaje
"""

# Brazilian chat spellings and everyday verbs (2026-11-22)
PT += """
bora assistir assistindo assisti agr msm qnt qto ein socorro blz flw vlw tmj slk mds pfv pfvr
chorei amei adorei morri falei fiquei cheguei comprei paguei liguei recebi
"""

WORDS: dict[str, str] = {"en": EN, "es": ES, "fr": FR, "pt": PT, "de": DE, "it": IT, "nl": NL}
