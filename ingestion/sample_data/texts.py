"""Open-text feedback in the customers' own languages, matched to theme and score."""

from __future__ import annotations

import random

LANGUAGES: tuple[str, ...] = ("en", "fi", "et", "hr", "ro", "de", "fr", "ja")
THEMES: tuple[str, ...] = (
    "delivery",
    "checkout",
    "support",
    "product_quality",
    "app",
    "sizing",
    "price",
)

# language -> theme -> (praise, complaint)
FEEDBACK: dict[str, dict[str, tuple[str, str]]] = {
    "en": {
        "delivery": (
            "Delivery was fast and the parcel arrived a day early.",
            "My parcel arrived a week late and tracking never updated.",
        ),
        "checkout": (
            "Checkout was quick and paying by card worked first time.",
            "Checkout kept failing at the payment step, I had to try three times.",
        ),
        "support": (
            "Customer support answered within an hour and solved my problem.",
            "Support took days to answer and the reply did not help.",
        ),
        "product_quality": (
            "The jacket is excellent quality and still looks new.",
            "The seams on my backpack came apart after two weeks.",
        ),
        "app": (
            "The app is fast and finding products is easy.",
            "The app crashes every time I open my basket.",
        ),
        "sizing": (
            "The size guide was spot on, the boots fit perfectly.",
            "The sizes run small, I had to return the boots twice.",
        ),
        "price": (
            "Fair prices and the member discount is a nice touch.",
            "Too expensive compared to other shops.",
        ),
    },
    "fi": {
        "delivery": (
            "Toimitus oli nopea ja paketti tuli päivää etuajassa.",
            "Paketti tuli viikon myöhässä eikä seuranta päivittynyt.",
        ),
        "checkout": (
            "Kassalla maksaminen sujui nopeasti ja helposti.",
            "Maksu epäonnistui kassalla kolme kertaa peräkkäin.",
        ),
        "support": (
            "Asiakaspalvelu vastasi tunnissa ja ratkaisi ongelmani.",
            "Asiakaspalvelu vastasi vasta päivien päästä, eikä vastauksesta ollut apua.",
        ),
        "product_quality": (
            "Takki on laadukas ja näyttää yhä uudelta.",
            "Repun saumat repesivät kahden viikon käytön jälkeen.",
        ),
        "app": (
            "Sovellus on nopea ja tuotteet löytyvät helposti.",
            "Sovellus kaatuu aina, kun avaan ostoskorin.",
        ),
        "sizing": (
            "Kokotaulukko piti paikkansa, kengät sopivat täydellisesti.",
            "Koot ovat pieniä, jouduin palauttamaan kengät kahdesti.",
        ),
        "price": (
            "Hinnat ovat reiluja ja jäsenalennus on mukava lisä.",
            "Liian kallista verrattuna muihin kauppoihin.",
        ),
    },
    "et": {
        "delivery": (
            "Tarne oli kiire ja pakk jõudis päev varem kohale.",
            "Pakk jõudis nädal hiljem ja jälgimine ei uuenenud kordagi.",
        ),
        "checkout": (
            "Maksmine oli kiire ja lihtne.",
            "Maksmine ebaõnnestus kassas kolm korda järjest.",
        ),
        "support": (
            "Klienditugi vastas tunni ajaga ja lahendas mu probleemi.",
            "Klienditugi vastas alles mitme päeva pärast ja vastus ei aidanud.",
        ),
        "product_quality": (
            "Jope on suurepärase kvaliteediga ja näeb ikka uus välja.",
            "Seljakoti õmblused läksid kahe nädalaga katki.",
        ),
        "app": (
            "Äpp on kiire ja tooteid on lihtne leida.",
            "Äpp jookseb kokku iga kord, kui ostukorvi avan.",
        ),
        "sizing": (
            "Suuruste tabel oli täpne, saapad istuvad ideaalselt.",
            "Suurused on väikesed, pidin saapad kaks korda tagastama.",
        ),
        "price": (
            "Hinnad on õiglased ja püsikliendi allahindlus on tore.",
            "Liiga kallis võrreldes teiste poodidega.",
        ),
    },
    "hr": {
        "delivery": (
            "Dostava je bila brza i paket je stigao dan ranije.",
            "Paket je kasnio tjedan dana, a praćenje se nije ažuriralo.",
        ),
        "checkout": (
            "Plaćanje je bilo brzo i jednostavno.",
            "Plaćanje na blagajni nije uspjelo tri puta zaredom.",
        ),
        "support": (
            "Korisnička podrška odgovorila je u roku od sat vremena i riješila problem.",
            "Podrška je odgovorila tek nakon nekoliko dana i odgovor nije pomogao.",
        ),
        "product_quality": (
            "Jakna je izvrsne kvalitete i još uvijek izgleda kao nova.",
            "Šavovi na ruksaku popustili su nakon dva tjedna.",
        ),
        "app": (
            "Aplikacija je brza i proizvode je lako pronaći.",
            "Aplikacija se ruši svaki put kad otvorim košaricu.",
        ),
        "sizing": (
            "Tablica veličina bila je točna, čizme savršeno pristaju.",
            "Veličine su premale, čizme su se morale vraćati dvaput.",
        ),
        "price": (
            "Cijene su poštene, a popust za članove je lijep dodatak.",
            "Preskupo u usporedbi s drugim trgovinama.",
        ),
    },
    "ro": {
        "delivery": (
            "Livrarea a fost rapidă și coletul a ajuns cu o zi mai devreme.",
            "Coletul a întârziat o săptămână, iar urmărirea nu s-a actualizat.",
        ),
        "checkout": ("Plata a fost rapidă și simplă.", "Plata a eșuat de trei ori la rând."),
        "support": (
            "Serviciul clienți a răspuns într-o oră și mi-a rezolvat problema.",
            "Serviciul clienți a răspuns după câteva zile, iar răspunsul nu m-a ajutat.",
        ),
        "product_quality": (
            "Geaca este de o calitate excelentă și arată încă nouă.",
            "Cusăturile rucsacului s-au desfăcut după două săptămâni.",
        ),
        "app": (
            "Aplicația este rapidă și găsești ușor produsele.",
            "Aplicația se blochează de fiecare dată când deschid coșul.",
        ),
        "sizing": (
            "Ghidul de mărimi a fost exact, bocancii se potrivesc perfect.",
            "Mărimile sunt mici, a trebuit să returnez bocancii de două ori.",
        ),
        "price": (
            "Prețuri corecte, iar reducerea pentru membri este un plus.",
            "Prea scump față de alte magazine.",
        ),
    },
    "de": {
        "delivery": (
            "Die Lieferung war schnell, das Paket kam einen Tag früher.",
            "Mein Paket kam eine Woche zu spät und die Sendungsverfolgung stand still.",
        ),
        "checkout": (
            "Der Bezahlvorgang war schnell und unkompliziert.",
            "Die Zahlung ist an der Kasse dreimal hintereinander fehlgeschlagen.",
        ),
        "support": (
            "Der Kundenservice hat innerhalb einer Stunde geantwortet und geholfen.",
            "Der Kundenservice hat erst nach Tagen geantwortet und half nicht weiter.",
        ),
        "product_quality": (
            "Die Jacke ist hervorragend verarbeitet und sieht aus wie neu.",
            "Die Nähte am Rucksack sind nach zwei Wochen aufgegangen.",
        ),
        "app": (
            "Die App ist schnell und man findet alles sofort.",
            "Die App stürzt jedes Mal ab, wenn ich den Warenkorb öffne.",
        ),
        "sizing": (
            "Die Größentabelle stimmt genau, die Stiefel passen perfekt.",
            "Die Größen fallen klein aus, ich musste die Stiefel zweimal zurückschicken.",
        ),
        "price": (
            "Faire Preise und der Mitgliederrabatt ist ein schönes Extra.",
            "Zu teuer im Vergleich zu anderen Läden.",
        ),
    },
    "fr": {
        "delivery": (
            "La livraison a été rapide, le colis est arrivé un jour plus tôt.",
            "Mon colis est arrivé avec une semaine de retard, sans suivi à jour.",
        ),
        "checkout": (
            "Le paiement a été rapide et simple.",
            "Le paiement a échoué trois fois de suite à la caisse.",
        ),
        "support": (
            "Le service client a répondu en moins d'une heure et a réglé mon problème.",
            "Le service client a mis plusieurs jours à répondre, sans m'aider.",
        ),
        "product_quality": (
            "La veste est d'excellente qualité et paraît encore neuve.",
            "Les coutures du sac à dos ont lâché au bout de deux semaines.",
        ),
        "app": (
            "L'application est rapide et on trouve facilement les produits.",
            "L'application plante chaque fois que j'ouvre mon panier.",
        ),
        "sizing": (
            "Le guide des tailles était juste, les chaussures me vont parfaitement.",
            "Les tailles sont petites, j'ai dû renvoyer les chaussures deux fois.",
        ),
        "price": (
            "Des prix honnêtes et la remise fidélité est appréciable.",
            "Trop cher par rapport aux autres magasins.",
        ),
    },
    "ja": {
        "delivery": (
            "配送が早く、予定より1日早く届きました。",
            "荷物が1週間遅れて届き、追跡情報も更新されませんでした。",
        ),
        "checkout": ("支払い手続きが早くて簡単でした。", "決済が3回続けて失敗しました。"),
        "support": (
            "カスタマーサポートが1時間以内に返信してくれて、問題が解決しました。",
            "サポートの返信に何日もかかり、内容も役に立ちませんでした。",
        ),
        "product_quality": (
            "ジャケットの品質が素晴らしく、今も新品のようです。",
            "リュックの縫い目が2週間でほつれました。",
        ),
        "app": (
            "アプリが速く、商品がすぐに見つかります。",
            "カートを開くたびにアプリがクラッシュします。",
        ),
        "sizing": (
            "サイズ表が正確で、ブーツがぴったりでした。",
            "サイズが小さめで、ブーツを2回返品しました。",
        ),
        "price": ("価格が手頃で、会員割引も嬉しいです。", "他の店と比べて高すぎます。"),
    },
}

# language -> (praise titles, complaint titles, middling title)
REVIEW_TITLES: dict[str, tuple[tuple[str, ...], tuple[str, ...], str]] = {
    "en": (
        ("Great shop", "Highly recommended", "Will buy again"),
        ("Disappointed", "Never again", "Poor service"),
        "Okay overall",
    ),
    "fi": (
        ("Loistava kauppa", "Suosittelen lämpimästi", "Ostan uudelleen"),
        ("Pettymys", "Ei enää koskaan", "Huono palvelu"),
        "Ihan ok",
    ),
    "et": (
        ("Suurepärane pood", "Soovitan soojalt", "Ostan kindlasti uuesti"),
        ("Pettumus", "Mitte enam kunagi", "Kehv teenindus"),
        "Üldiselt okei",
    ),
    "hr": (
        ("Odlična trgovina", "Toplo preporučujem", "Opet ću kupiti"),
        ("Razočaranje", "Nikad više", "Loša usluga"),
        "Sasvim u redu",
    ),
    "ro": (
        ("Magazin excelent", "Recomand cu căldură", "Voi mai cumpăra"),
        ("Dezamăgire", "Nu mai cumpăr de aici", "Servicii slabe"),
        "În general în regulă",
    ),
    "de": (
        ("Toller Shop", "Sehr empfehlenswert", "Gerne wieder"),
        ("Enttäuscht", "Nie wieder", "Schlechter Service"),
        "Im Großen und Ganzen okay",
    ),
    "fr": (
        ("Boutique géniale", "Je recommande vivement", "J'achèterai à nouveau"),
        ("Déçu", "Plus jamais", "Service médiocre"),
        "Correct dans l'ensemble",
    ),
    "ja": (
        ("素晴らしいお店", "とてもおすすめです", "また購入します"),
        ("がっかりしました", "二度と利用しません", "対応が悪い"),
        "まあまあです",
    ),
}

# language -> (thanks, apology): the retailer's replies to reviews.
REPLIES: dict[str, tuple[str, str]] = {
    "en": (
        "Thank you for your kind words, we hope to see you again soon!",
        "We are sorry to hear about your experience. Please contact our support team so "
        "we can make this right.",
    ),
    "fi": (
        "Kiitos ystävällisestä palautteestasi, tervetuloa uudelleen!",
        "Pahoittelemme kokemustasi. Ota yhteyttä asiakaspalveluumme, niin korjaamme asian.",
    ),
    "et": (
        "Aitäh toredate sõnade eest, ootame teid peagi tagasi!",
        "Vabandame juhtunu pärast. Palun võtke ühendust meie klienditoega, et saaksime "
        "asja parandada.",
    ),
    "hr": (
        "Hvala na lijepim riječima, nadamo se da ćemo se uskoro opet vidjeti!",
        "Žao nam je zbog vašeg iskustva. Molimo javite se našoj korisničkoj podršci kako "
        "bismo to ispravili.",
    ),
    "ro": (
        "Vă mulțumim pentru cuvintele frumoase, vă așteptăm cu drag!",
        "Ne pare rău pentru experiența dumneavoastră. Vă rugăm să contactați echipa de "
        "asistență ca să rezolvăm situația.",
    ),
    "de": (
        "Vielen Dank für das Lob, wir freuen uns auf Ihren nächsten Besuch!",
        "Es tut uns leid, das zu hören. Bitte wenden Sie sich an unseren Kundenservice, "
        "damit wir das in Ordnung bringen können.",
    ),
    "fr": (
        "Merci pour votre gentil message, à très bientôt !",
        "Nous sommes désolés de votre expérience. Contactez notre service client afin que "
        "nous puissions arranger cela.",
    ),
    "ja": (
        "温かいお言葉をありがとうございます。またのご利用をお待ちしております。",
        "ご不便をおかけして申し訳ございません。サポートチームまでご連絡いただければ対応いたします。",
    ),
}

# Customers sometimes leave their contact details in free text; masking must catch them.
CONTACT_PHRASES: dict[str, str] = {
    "en": "You can reach me at {contact}.",
    "fi": "Yhteystietoni: {contact}",
    "et": "Minu kontakt: {contact}",
    "hr": "Moj kontakt: {contact}",
    "ro": "Mă puteți contacta la {contact}.",
    "de": "Sie erreichen mich unter {contact}.",
    "fr": "Mon contact : {contact}",
    "ja": "連絡先：{contact}",
}

# Which themes a comment about a survey touchpoint is likely to be about.
TOUCHPOINT_THEMES: dict[str, tuple[str, ...]] = {
    "support": ("support",),
    "checkout": ("checkout", "price"),
    "delivery": ("delivery",),
    "product": ("product_quality", "sizing"),
    "website": ("app", "checkout"),
}

# Share of free texts that carry an e-mail address or phone number.
CONTACT_SHARE = 0.025


def _join(language: str, sentences: list[str]) -> str:
    return ("" if language == "ja" else " ").join(sentences)


def feedback_text(
    rng: random.Random, language: str, theme: str, score: float, contact: str = ""
) -> str:
    """A comment about `theme` whose tone follows `score` (0 = furious .. 1 = delighted).

    Middling scores bring praise for one theme and a complaint about another, as real
    passives tend to write. With probability CONTACT_SHARE the writer adds `contact`.
    """
    bank = FEEDBACK[language]
    if score >= 0.7:
        sentences = [bank[theme][0]]
        if rng.random() < 0.3:
            sentences.append(bank[rng.choice(THEMES)][0])
    elif score <= 0.4:
        sentences = [bank[theme][1]]
        if rng.random() < 0.3:
            sentences.append(bank[rng.choice(THEMES)][1])
    else:
        other = rng.choice([candidate for candidate in THEMES if candidate != theme])
        sentences = [bank[other][0], bank[theme][1]]
    if contact and rng.random() < CONTACT_SHARE:
        sentences.append(CONTACT_PHRASES[language].format(contact=contact))
    return _join(language, sentences)


def review_title(rng: random.Random, language: str, rating: int) -> str:
    praise, complaints, middling = REVIEW_TITLES[language]
    if rating >= 4:
        return rng.choice(praise)
    if rating <= 2:
        return rng.choice(complaints)
    return middling


def reply_text(language: str, rating: int) -> str:
    thanks, apology = REPLIES[language]
    return thanks if rating >= 4 else apology


def known_tone_and_themes(language: str, text: str) -> tuple[str | None, frozenset[str]]:
    """What feedback_text wrote `text` from: the themes of its sentences and its tone,
    positive (praise only), negative (complaints only) or neutral (praise and a
    complaint, as middling scores write). (None, {}) when no sentence of the language's
    bank is in the text."""
    themes = set()
    tones = set()
    for theme, (praise, complaint) in FEEDBACK.get(language, {}).items():
        if praise in text:
            themes.add(theme)
            tones.add("positive")
        if complaint in text:
            themes.add(theme)
            tones.add("negative")
    if not tones:
        return None, frozenset()
    tone = tones.pop() if len(tones) == 1 else "neutral"
    return tone, frozenset(themes)
