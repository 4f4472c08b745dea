//! Built-in notice texts. Editing any of them changes the derived notice version, so receipts
//! always point at the words a participant actually saw or heard. Bump `BUILTIN_REVISION` in
//! `notice.rs` when they change, so the version stays readable for people too.

pub(super) const EN_NOTICE: &str = "\
Recording notice

Why this call is recorded: so that there is an accurate record of what we discussed and agreed, \
the follow-up is correct, and nothing you said gets lost or misquoted.

What is recorded: the voices of everyone on the call, and anything shared during it, such as a \
shared screen, chat messages or files.

Where it is processed: the recording is transcribed and analysed only on this device. It is not \
sent to any online service for transcription or analysis.

Your right to know: everyone on the call is told before recording starts, and recording does not \
start until every participant has been asked.

Your right to choose: you may decline, and then the call is not recorded. You may also change your \
mind during the call: recording stops at once and, unless everyone else agrees to keep it, \
everything recorded so far is deleted.

Copies and erasure: at any time you can ask for a copy of the recording and its transcript, or ask \
for them to be erased. Reply to the meeting invitation or write to the person who recorded the \
call, and they will do it without undue delay.";

pub(super) const EN_READ_ALOUD: &str = "\
Before we start: I'd like to record this call so we have an accurate record of what we discuss. \
The recording and its transcript stay on my computer and are processed only there. \
Is everyone okay with that? If you'd rather not, just say so and I won't record. \
You can ask me to stop at any time, and later ask for a copy or for it to be deleted.";

pub(super) const EN_CHAT_LINE: &str = "\
Heads-up: I'd like to record this call (processed only on my device). Reply \"no\" and I won't \
record; you can ask for a copy or deletion at any time.";

pub(super) const SR_LATN_NOTICE: &str = "\
Obaveštenje o snimanju

Zašto se razgovor snima: da bi postojao tačan zapis onoga o čemu smo razgovarali i šta smo \
dogovorili, da bi naredni koraci bili ispravni i da se ništa od onoga što ste rekli ne izgubi \
niti pogrešno prenese.

Šta se snima: glasovi svih učesnika razgovora i sve što se tokom razgovora podeli, na primer \
deljeni ekran, poruke u četu ili datoteke.

Gde se obrađuje: snimak se pretvara u tekst i analizira isključivo na ovom uređaju. Ne šalje se \
nijednoj usluzi na internetu radi prepisivanja ili analize.

Pravo da znate: svi učesnici se obaveštavaju pre početka snimanja, a snimanje ne počinje dok \
svaki učesnik ne bude upitan.

Pravo da birate: možete odbiti snimanje i tada se razgovor ne snima. Možete se predomisliti i \
tokom razgovora: snimanje se odmah zaustavlja i, osim ako se svi ostali ne slože da se sačuva, \
sve što je do tada snimljeno se briše.

Kopija i brisanje: u svakom trenutku možete zatražiti kopiju snimka i zapisa razgovora ili \
zatražiti da se obrišu. Odgovorite na pozivnicu za sastanak ili pišite osobi koja je snimala \
razgovor i ona će to učiniti bez nepotrebnog odlaganja.";

pub(super) const SR_LATN_READ_ALOUD: &str = "\
Pre nego što počnemo: da li se slažete da snimam ovaj razgovor, kako bismo imali tačan zapis \
onoga o čemu pričamo? Snimak i zapis razgovora ostaju na mom računaru i obrađuju se samo tamo. \
Ako ne želite, samo recite i neću snimati. U svakom trenutku možete tražiti da prekinem snimanje, \
a i kasnije možete zatražiti kopiju ili brisanje snimka.";

pub(super) const SR_LATN_CHAT_LINE: &str = "\
Obaveštenje: želim da snimim ovaj razgovor (obrađuje se samo na mom uređaju). Napišite „ne“ i \
neću snimati; kopiju ili brisanje možete zatražiti u svakom trenutku.";
