#!/usr/bin/python3
"""Seeded, deterministic generator of realistic mailing-list archives.

Usage:
  python3 bench/gen_archive.py --messages N [--seed S] [--format mbox|maildir|both]
                               [--lists K] [--gzip] --out PATH

  mbox     PATH is one mboxrd file ("From " lines escaped as ">From ", ">From " as
           ">>From "); a ".gz" suffix writes it gzip-compressed.
  maildir  PATH/cur/ holds one file per message (PATH/new, PATH/tmp created empty).
  both     PATH.mbox (PATH.mbox.gz with --gzip) and PATH.maildir/, same messages,
           byte for byte (apart from the mboxrd escaping).

Only the Python standard library is used, and the email package is not used for
writing: every message is assembled as bytes from precomputed pieces, so the
generator streams (memory stays flat for millions of messages) and runs at several
thousand messages per second.  The same --seed (and the same other options) always
gives the same bytes.

What the archive looks like: several Mailman lists (List-Id, "[name]" subject tags,
list headers, footers); threads of Zipf-like size (most single messages, a few of
50+); replies with In-Reply-To/References (some only one of them, some neither:
threaded only by "Re:" subject), quoting with "On <date>, <name> wrote:" and "> ",
Outlook "-----Original Message-----" / "From: Sent: To: Subject:" blocks, Lotus
">>> name date >>>" headers; about 800 people with non-ASCII names in RFC 2047
encoded-words (UTF-8, ISO-8859-1, KOI8-R); English bodies mostly, some French,
Spanish, Portuguese, German and Russian; charsets utf-8, iso-8859-1, windows-1252,
koi8-r in 7bit/8bit/quoted-printable/base64; ~15% multipart/alternative with
Word-style HTML; ~5% with a PDF-like or .docx-like attachment (some identical across
messages); occasional body lines starting with "From " and ">From "; dates from 2004
to 2024 in many zones.  A one-line summary goes to stderr.
"""

import argparse
import binascii
import gzip
import heapq
import html
import os
import random
import re
import sys
import time
import unicodedata
from collections import deque

# --------------------------------------------------------------------------------------
# Vocabulary (Internet governance).  Each language: subjects (S), verb phrases (V),
# objects (O), sentence openers (OPEN), adjectives (ADJ), events/places (EVENT),
# sentence templates (TPL), subject-line templates (SUBJ), greetings, closings,
# attribution line format.
# --------------------------------------------------------------------------------------

EN = {
    "S": [
        "the IGF", "the MAG", "the secretariat", "civil society", "the private sector",
        "the technical community", "the working group", "the chair", "the GNSO Council",
        "the RIR community", "the consultation", "the draft statement", "this proposal",
        "the Tunis Agenda", "enhanced cooperation", "the policy development process",
        "the multistakeholder model", "the NRI network", "the appeals panel",
        "the WSIS review", "the drafting team", "the ccTLD community", "the At-Large community",
        "the Board", "the rapporteur", "the caucus", "the coordinator", "our coalition",
        "the host country", "the CSTD working group", "the IETF", "every registry",
        "the youth coalition", "the capacity-building programme", "the Dynamic Coalition",
        "the Best Practice Forum", "the business constituency", "the government delegation",
        "the academic network", "the intergovernmental track", "the ITU", "the Council of Europe",
        "the OECD", "UNESCO", "the ombudsman", "the nominating committee", "the review team",
        "the steering committee", "the programme committee", "the liaison",
    ],
    "V": [
        "should clarify", "must address", "has not yet considered", "supports", "opposes",
        "needs to reconsider", "will discuss", "should take into account", "has proposed",
        "cannot ignore", "is reviewing", "should publish", "is expected to endorse",
        "would undermine", "would strengthen", "may delay", "has agreed on", "should document",
        "will report back on", "raised concerns about", "has misunderstood", "keeps postponing",
        "welcomed", "rejected", "deserves credit for", "has been silent on", "underestimates",
        "is drafting language on", "asked for more time on", "wants a vote on",
        "should revisit", "has summarised", "has circulated a paper on", "is ready to accept",
        "still disagrees with",
    ],
    "O": [
        "the question of jurisdiction", "the role of governments", "net neutrality",
        "access in rural areas", "data protection", "the IANA transition",
        "accountability mechanisms", "the guiding questions", "the deadline for comments",
        "the timeline for the next meeting", "rough consensus", "the language of paragraph 4",
        "the proposed amendment", "the funding model", "the travel support programme",
        "the human rights dimension", "cybersecurity norms", "the digital divide",
        "internationalized domain names", "IPv6 deployment", "the allocation of IPv4 address space",
        "the transfer policy", "WHOIS privacy", "the new gTLD programme", "mass surveillance",
        "encryption", "content moderation", "intermediary liability", "the open consultation",
        "the outcome document", "the summary record", "the speaker queue", "remote participation",
        "live captioning", "the workshop proposals", "the main session", "gender balance",
        "regional diversity", "stakeholder balance", "the charter", "the milestones",
        "the appeals procedure", "the consensus call", "the minority statement",
        "the list of signatories", "critical Internet resources", "spam and phishing",
        "child online protection", "cloud computing", "the Internet of Things",
        "artificial intelligence", "platform regulation", "the digital compact",
        "community networks", "affordable broadband", "local content", "linguistic diversity",
        "open standards", "interoperability", "the root zone", "DNSSEC deployment",
        "routing security", "the mandate renewal", "the selection criteria", "the budget",
        "the terms of reference", "the code of conduct", "conflicts of interest",
    ],
    "OPEN": [
        "I agree that", "I am not sure that", "In my view,", "As I said at the last meeting,",
        "With respect,", "To be clear,", "Frankly,", "It seems to me that", "I would argue that",
        "As far as I can tell,", "For what it's worth,", "Let me add that",
        "We should not forget that", "Several colleagues noted that", "Honestly,",
        "I still believe that", "On balance,", "Speaking for myself,", "If I understand correctly,",
        "As the transcript shows,", "Once again,", "In practice,", "At the same time,",
    ],
    "ADJ": [
        "transparent", "inclusive", "balanced", "bottom-up", "open", "pragmatic", "accountable",
        "consensus-based", "evidence-based", "flexible", "predictable", "multilingual",
    ],
    "EVENT": [
        "the Athens IGF", "the Rio meeting", "the Hyderabad IGF", "Sharm El Sheikh", "Vilnius",
        "Nairobi", "Baku", "Bali", "Istanbul", "Joao Pessoa", "Guadalajara", "Geneva", "Paris",
        "Berlin", "Addis Ababa", "Katowice", "Kyoto", "Riyadh", "the Tunis phase of WSIS",
        "the next MAG call", "the open consultation in February", "ICANN 52", "IETF 88",
        "the RIPE meeting", "the LACNIC meeting", "the AFRINIC meeting", "the APNIC meeting",
        "the ARIN meeting", "the regional IGF", "the preparatory meeting", "the June retreat",
    ],
    "TPL": [
        "{OPEN} {S} {V} {O}.",
        "{OPEN} {S} {V} {O}.",
        "{OPEN} {S} {V} {O}.",
        "{S} {V} {O} before {EVENT}.",
        "{S} {V} {O}, and {S2} {V2} {O2}.",
        "{S} {V} {O}, but {S2} {V2} {O2}.",
        "Could {S} explain how {O} relates to {O2}?",
        "I think we need a more {ADJ} approach to {O}.",
        "The text on {O} is not {ADJ} enough, in my opinion.",
        "We discussed {O} in {EVENT}, but there was no consensus.",
        "Please see paragraph {N} of the draft, which deals with {O}.",
        "{S} {V} {O} ({EVENT}, {Y}).",
        "Nobody has explained why {S} {V} {O}.",
        "If {S} {V} {O}, then {S2} {V2} {O2}.",
        "There were {N} comments on {O} by the deadline.",
        "My concern is that {S} {V} {O}.",
        "What matters here is {O}, not {O2}.",
        "Since {Y}, {S} {V} {O}.",
        "Can we add a sentence on {O} to section {N}?",
        "I support the proposal on {O}, with one reservation about {O2}.",
        "{OPEN} this is about {O} and {O2}.",
        "Let's not reopen the debate on {O} at this stage.",
    ],
    "SUBJ": [
        "Draft statement on {O}", "Comments on {O}", "Proposal: {O}", "{EVENT}: {O}",
        "Call for input on {O} (deadline {D})", "Question about {O}",
        "Summary of the call on {O}", "Agenda for {EVENT}", "Consensus call: {O}",
        "Updated text on {O}", "Workshop proposal on {O}", "Minutes of the {D} call",
        "Sign-on letter regarding {O}", "Report from {EVENT}", "{O} and {O2}",
        "Deadline extended: {O}", "Concerns about {O}",
    ],
    "GREET": ["Hi all,", "Dear colleagues,", "Dear {F},", "Hello everyone,", "All,", "Dear all,",
              "Hi {F},", "{F},", "Thanks {F}.", "Good morning,"],
    "CLOSE": ["Best regards,", "Regards,", "Best,", "Cheers,", "Thanks,", "Kind regards,",
              "All the best,", "Sincerely,"],
}

FR = {
    "S": [
        "le secrétariat", "la société civile", "le secteur privé", "la communauté technique",
        "le groupe de travail", "le coprésident", "le projet de déclaration", "cette proposition",
        "l'Agenda de Tunis", "la coopération renforcée", "le processus d'élaboration des politiques",
        "le modèle multipartite", "le Forum sur la gouvernance de l'Internet", "le MAG",
        "la consultation publique", "le comité de rédaction", "l'UIT", "l'ICANN",
        "notre coalition", "le pays hôte", "la Francophonie", "le gouvernement", "le rapporteur",
        "le réseau des IGF nationaux", "la délégation française", "l'Afnic", "le conseil",
    ],
    "V": [
        "devrait clarifier", "doit examiner", "soutient", "remet en cause", "a proposé",
        "ne peut ignorer", "devrait publier", "risque de retarder", "renforcerait", "affaiblirait",
        "a adopté", "devrait documenter", "a critiqué", "souhaite réviser", "doit respecter",
        "a présenté", "défend", "propose de modifier", "devrait rappeler", "sous-estime",
        "a longuement débattu", "n'a pas encore évalué",
    ],
    "O": [
        "la question de la juridiction", "le rôle des gouvernements", "la neutralité du réseau",
        "l'accès dans les zones rurales", "la protection des données personnelles",
        "la transition de l'IANA", "les mécanismes de responsabilité", "les questions directrices",
        "la date limite pour les commentaires", "le calendrier de la prochaine réunion",
        "le consensus approximatif", "le libellé du paragraphe 4", "l'amendement proposé",
        "le modèle de financement", "la dimension des droits de l'homme", "la fracture numérique",
        "les noms de domaine internationalisés", "le déploiement d'IPv6", "la cybersécurité",
        "la liberté d'expression", "la diversité linguistique",
        "l'équilibre entre les groupes de parties prenantes", "la participation à distance",
        "le sous-titrage en direct", "le document final", "le compte rendu", "la charte du groupe",
        "la surveillance de masse", "le chiffrement", "la transparence des décisions",
        "la régulation des plateformes", "l'intelligence artificielle", "la souveraineté numérique",
        "les réseaux communautaires", "le multilinguisme", "la procédure d'appel",
    ],
    "OPEN": [
        "Je pense que", "À mon avis,", "Il me semble que", "Comme je l'ai dit lors de la dernière réunion,",
        "Franchement,", "Par ailleurs,", "En outre,", "Pour être clair,", "Plusieurs collègues ont noté que",
        "Il faut rappeler que", "Selon moi,", "Cependant,", "De plus,", "En pratique,",
    ],
    "ADJ": ["transparente", "inclusive", "équilibrée", "ouverte", "ascendante", "pragmatique",
            "responsable", "multilingue"],
    "EVENT": ["Genève", "Tunis", "Paris", "Rio", "Charm el-Cheikh", "Nairobi", "Dakar", "Montréal",
              "la réunion préparatoire", "la consultation de février", "la dernière réunion du MAG"],
    "TPL": [
        "{OPEN} {S} {V} {O}.", "{OPEN} {S} {V} {O}.", "{S} {V} {O} avant la réunion de {EVENT}.",
        "{S} {V} {O}, et {S2} {V2} {O2}.", "{S} {V} {O}, mais {S2} {V2} {O2}.",
        "Il faut une approche plus {ADJ} sur {O}.",
        "Le texte sur {O} n'est pas assez clair, à mon avis.",
        "Nous avons abordé {O} à {EVENT}, sans consensus.",
        "Merci de relire le paragraphe {N} du projet, qui concerne {O}.",
        "Personne n'a expliqué pourquoi {S} {V} {O}.", "Ma crainte est que {S} {V} {O}.",
        "Depuis {Y}, {S} {V} {O}.", "Peut-on ajouter une phrase sur {O} à la section {N} ?",
        "Ce qui compte ici, c'est {O}, pas {O2}.",
    ],
    "SUBJ": ["Projet de déclaration sur {O}", "Commentaires sur {O}", "Proposition : {O}",
             "Question sur {O}", "Compte rendu de la réunion du {D}", "Réunion de {EVENT} : {O}",
             "Appel à contributions : {O}", "Préoccupations concernant {O}"],
    "GREET": ["Bonjour à tous,", "Chers collègues,", "Cher {F},", "Bonjour {F},", "Bonsoir,"],
    "CLOSE": ["Cordialement,", "Bien à vous,", "Amitiés,", "Merci,", "Bien cordialement,"],
}

ES = {
    "S": [
        "la secretaría", "la sociedad civil", "el sector privado", "la comunidad técnica",
        "el grupo de trabajo", "el copresidente", "el borrador de declaración", "esta propuesta",
        "la Agenda de Túnez", "la cooperación reforzada", "el proceso de desarrollo de políticas",
        "el modelo de múltiples partes interesadas", "el Foro de Gobernanza de Internet", "el MAG",
        "la consulta pública", "el equipo de redacción", "LACNIC", "la ICANN", "nuestra coalición",
        "el país anfitrión", "la comunidad regional", "el gobierno", "el relator",
        "la red de IGF nacionales", "la delegación mexicana", "el consejo",
    ],
    "V": [
        "debería aclarar", "debe tener en cuenta", "todavía no ha examinado", "apoya", "cuestiona",
        "ha propuesto", "no puede ignorar", "debería publicar", "podría retrasar", "fortalecería",
        "debilitaría", "ha aprobado", "debería documentar", "ha criticado", "quiere revisar",
        "debe respetar", "ha presentado", "defiende", "propone modificar", "subestima",
    ],
    "O": [
        "la cuestión de la jurisdicción", "el papel de los gobiernos", "la neutralidad de la red",
        "el acceso en zonas rurales", "la protección de datos personales", "la transición de la IANA",
        "los mecanismos de rendición de cuentas", "las preguntas orientadoras",
        "el plazo para los comentarios", "el calendario de la próxima reunión",
        "el consenso aproximado", "la redacción del párrafo 4", "la enmienda propuesta",
        "el modelo de financiación", "la dimensión de derechos humanos", "la brecha digital",
        "los nombres de dominio internacionalizados", "el despliegue de IPv6", "la ciberseguridad",
        "la libertad de expresión", "la diversidad lingüística",
        "el equilibrio entre los grupos de partes interesadas", "la participación remota",
        "el subtitulado en vivo", "el documento final", "el acta resumida",
        "la carta constitutiva del grupo", "la vigilancia masiva", "el cifrado",
        "la transparencia de las decisiones", "la política de transferencias",
        "la asignación de direcciones IPv4", "las redes comunitarias", "la inteligencia artificial",
    ],
    "OPEN": [
        "Creo que", "En mi opinión,", "Me parece que", "Como dije en la última reunión,",
        "Francamente,", "Además,", "Por otra parte,", "Para ser claro,",
        "Varios colegas señalaron que", "Hay que recordar que", "Sin embargo,", "En la práctica,",
    ],
    "ADJ": ["transparente", "inclusivo", "equilibrado", "abierto", "pragmático", "multilingüe"],
    "EVENT": ["Guadalajara", "Ciudad de México", "Buenos Aires", "Montevideo", "Bogotá", "Lima",
              "Santiago", "San José", "Cartagena", "la reunión preparatoria", "la consulta de febrero"],
    "TPL": [
        "{OPEN} {S} {V} {O}.", "{OPEN} {S} {V} {O}.", "{S} {V} {O} antes de la reunión de {EVENT}.",
        "{S} {V} {O}, y {S2} {V2} {O2}.", "{S} {V} {O}, pero {S2} {V2} {O2}.",
        "¿Podría explicar cómo {S} {V} {O}?", "Necesitamos un enfoque más {ADJ} sobre {O}.",
        "Discutimos {O} en {EVENT}, pero no hubo consenso.",
        "Por favor vean el párrafo {N} del borrador, que trata de {O}.",
        "Nadie ha explicado por qué {S} {V} {O}.", "Mi preocupación es que {S} {V} {O}.",
        "Desde {Y}, {S} {V} {O}.", "Lo importante aquí es {O}, no {O2}.",
    ],
    "SUBJ": ["Borrador de declaración sobre {O}", "Comentarios sobre {O}", "Propuesta: {O}",
             "Pregunta sobre {O}", "Resumen de la llamada del {D}", "Reunión de {EVENT}: {O}",
             "Convocatoria de aportes: {O}", "Preocupación por {O}"],
    "GREET": ["Hola a todos,", "Estimados colegas,", "Estimado {F},", "Hola {F},", "Queridos amigos,"],
    "CLOSE": ["Saludos,", "Un abrazo,", "Atentamente,", "Gracias,", "Saludos cordiales,"],
}

PT = {
    "S": [
        "o secretariado", "a sociedade civil", "o setor privado", "a comunidade técnica",
        "o grupo de trabalho", "o copresidente", "a minuta da declaração", "esta proposta",
        "a Agenda de Túnis", "a cooperação reforçada", "o processo de desenvolvimento de políticas",
        "o modelo multissetorial", "o Fórum de Governança da Internet", "o CGI.br",
        "a consulta pública", "a equipe de redação", "o Marco Civil", "a ANATEL", "nossa coalizão",
        "o país anfitrião", "o governo", "o relator", "o conselho",
    ],
    "V": [
        "deveria esclarecer", "deve levar em conta", "ainda não examinou", "apoia", "questiona",
        "propôs", "não pode ignorar", "deveria publicar", "poderia atrasar", "fortaleceria",
        "enfraqueceria", "aprovou", "deveria documentar", "criticou", "quer revisar",
        "deve respeitar", "apresentou", "defende", "subestima",
    ],
    "O": [
        "a questão da jurisdição", "o papel dos governos", "a neutralidade da rede",
        "o acesso em áreas rurais", "a proteção de dados pessoais", "a transição da IANA",
        "os mecanismos de prestação de contas", "as perguntas orientadoras",
        "o prazo para comentários", "o calendário da próxima reunião", "o consenso aproximado",
        "a redação do parágrafo 4", "a emenda proposta", "o modelo de financiamento",
        "a dimensão dos direitos humanos", "a exclusão digital",
        "os nomes de domínio internacionalizados", "a implantação do IPv6",
        "a segurança cibernética", "a liberdade de expressão", "a diversidade linguística",
        "o equilíbrio entre os setores", "a participação remota", "a legendagem ao vivo",
        "o documento final", "a ata resumida", "a vigilância em massa", "a criptografia",
        "a transparência das decisões", "as redes comunitárias", "a inclusão digital",
    ],
    "OPEN": [
        "Acho que", "Na minha opinião,", "Parece-me que", "Como eu disse na última reunião,",
        "Francamente,", "Além disso,", "Por outro lado,", "Para ser claro,",
        "Vários colegas observaram que", "Vale lembrar que", "No entanto,",
    ],
    "ADJ": ["transparente", "inclusiva", "equilibrada", "aberta", "pragmática", "multilíngue"],
    "EVENT": ["João Pessoa", "Rio de Janeiro", "São Paulo", "Brasília", "Lisboa", "Maputo", "Luanda",
              "Salvador", "a reunião preparatória"],
    "TPL": [
        "{OPEN} {S} {V} {O}.", "{OPEN} {S} {V} {O}.", "{S} {V} {O} antes da reunião de {EVENT}.",
        "{S} {V} {O}, e {S2} {V2} {O2}.", "{S} {V} {O}, mas {S2} {V2} {O2}.",
        "Precisamos de uma abordagem mais {ADJ} sobre {O}.",
        "Discutimos {O} em {EVENT}, mas não houve consenso.",
        "Por favor vejam o parágrafo {N} da minuta, que trata de {O}.",
        "Ninguém explicou por que {S} {V} {O}.", "Minha preocupação é que {S} {V} {O}.",
        "Desde {Y}, {S} {V} {O}.", "O que importa aqui é {O}, não {O2}.",
    ],
    "SUBJ": ["Minuta de declaração sobre {O}", "Comentários sobre {O}", "Proposta: {O}",
             "Pergunta sobre {O}", "Resumo da reunião de {D}", "Reunião de {EVENT}: {O}",
             "Preocupação com {O}"],
    "GREET": ["Olá a todos,", "Caros colegas,", "Prezado {F},", "Oi {F},", "Prezados,"],
    "CLOSE": ["Abraços,", "Atenciosamente,", "Obrigado,", "Saudações,", "Um abraço,"],
}

DE = {
    "S": [
        "das Sekretariat", "die Zivilgesellschaft", "die Privatwirtschaft", "die technische Community",
        "die Bundesregierung", "die Arbeitsgruppe", "der Vorsitz", "der Entwurf der Erklärung",
        "dieser Vorschlag", "die Tunis-Agenda", "das Multistakeholder-Modell",
        "das Internet Governance Forum", "die Konsultation", "das Redaktionsteam",
        "die Europäische Kommission", "unsere Koalition", "das Gastgeberland", "der Beirat",
        "die Bundesnetzagentur", "das Forum", "der Berichterstatter", "das Lenkungsgremium",
    ],
    "V": [
        "unterstützt", "kritisiert", "ignoriert", "übersieht", "gefährdet", "stärkt", "schwächt",
        "verzögert", "veröffentlicht", "behandelt", "diskutiert", "überarbeitet", "begrüßt",
        "betont", "fordert", "prüft", "berücksichtigt", "unterschätzt", "erwähnt", "hinterfragt",
    ],
    "O": [
        "die Frage der Zuständigkeit", "die Rolle der Regierungen", "die Netzneutralität",
        "den Zugang in ländlichen Gebieten", "den Datenschutz", "die IANA-Transition",
        "die Rechenschaftsmechanismen", "die Leitfragen", "die Frist für Kommentare",
        "den Zeitplan für das nächste Treffen", "den groben Konsens", "den Wortlaut von Absatz 4",
        "den Änderungsantrag", "das Finanzierungsmodell", "die menschenrechtliche Dimension",
        "die digitale Kluft", "internationalisierte Domainnamen", "die Einführung von IPv6",
        "die Cybersicherheit", "die Meinungsfreiheit", "die sprachliche Vielfalt",
        "die Ausgewogenheit zwischen den Stakeholdergruppen", "die Fernteilnahme",
        "die Live-Untertitelung", "das Abschlussdokument", "das Protokoll", "die Charta der Gruppe",
        "die Massenüberwachung", "die Verschlüsselung", "die Transparenz der Entscheidungen",
        "die Plattformregulierung", "die künstliche Intelligenz", "die digitale Souveränität",
    ],
    "OPEN": ["Kurz gesagt:", "Wie ich beim letzten Treffen sagte:", "Dazu eine Anmerkung:",
             "Ehrlich gesagt:", "Aus meiner Sicht gilt:", "Zur Klarstellung:", "Wichtig ist:",
             "Außerdem:", "Allerdings:"],
    "ADJ": ["transparenteren", "inklusiveren", "ausgewogeneren", "offeneren", "pragmatischeren"],
    "EVENT": ["Berlin", "Genf", "Wien", "Bonn", "Zürich", "Straßburg", "Brüssel", "Hamburg"],
    "TPL": [
        "{OPEN} {SC} {V} {O}.", "{OPEN} {SC} {V} {O}.", "{SC} {V} {O} vor dem Treffen in {EVENT}.",
        "{SC} {V} {O}, und {S2} {V2} {O2}.", "{SC} {V} {O}, aber {S2} {V2} {O2}.",
        "Wir brauchen einen {ADJ} Ansatz für {O}.",
        "Wir haben {O} in {EVENT} diskutiert, aber es gab keinen Konsens.",
        "Bitte seht euch Absatz {N} des Entwurfs an, es geht um {O}.",
        "Seit {Y} gilt: {S} {V} {O}.", "Meine Sorge: {S} {V} {O}.",
        "Entscheidend ist {O}, nicht {O2}.",
    ],
    "SUBJ": ["Entwurf einer Stellungnahme: {O}", "Kommentare zu: {O}", "Vorschlag: {O}",
             "Frage zu: {O}", "Protokoll der Telefonkonferenz vom {D}", "Treffen in {EVENT}: {O}",
             "Bedenken: {O}"],
    "GREET": ["Hallo zusammen,", "Liebe Kolleginnen und Kollegen,", "Lieber {F},", "Hallo {F},",
              "Moin,"],
    "CLOSE": ["Viele Grüße,", "Beste Grüße,", "Mit freundlichen Grüßen,", "Gruß,", "Danke und Gruß,"],
}

RU = {
    "S": [
        "секретариат", "гражданское общество", "частный сектор", "техническое сообщество",
        "правительство", "рабочая группа", "председатель", "проект заявления", "это предложение",
        "Тунисская программа", "многосторонняя модель", "Форум по управлению интернетом",
        "консультативная группа", "редакционная группа", "Минкомсвязи", "наша коалиция",
        "принимающая страна", "Координационный центр", "МСЭ", "РАЭК", "докладчик", "совет",
    ],
    "V": [
        "поддерживает", "критикует", "игнорирует", "обсуждает", "пересматривает", "публикует",
        "укрепляет", "ослабляет", "затягивает", "рассматривает", "одобряет", "подчёркивает",
        "недооценивает", "упоминает", "может ослабить", "может поддержать", "будет обсуждать",
        "хочет изменить", "предлагает изменить", "ставит под сомнение",
    ],
    "O": [
        "вопрос юрисдикции", "роль правительств", "сетевой нейтралитет", "доступ в сельских районах",
        "защиту персональных данных", "передачу функций IANA", "механизмы подотчётности",
        "ключевые вопросы", "срок подачи комментариев", "график следующей встречи",
        "грубый консенсус", "формулировку пункта 4", "предложенную поправку",
        "модель финансирования", "права человека", "цифровое неравенство",
        "интернационализированные доменные имена", "внедрение IPv6", "кибербезопасность",
        "свободу выражения мнений", "языковое разнообразие", "баланс заинтересованных сторон",
        "удалённое участие", "итоговый документ", "протокол заседания", "устав группы",
        "массовую слежку", "шифрование", "прозрачность решений", "суверенитет в интернете",
        "регулирование платформ", "искусственный интеллект",
    ],
    "OPEN": ["Я думаю, что", "На мой взгляд,", "Мне кажется, что", "Как я говорил на прошлой встрече,",
             "Честно говоря,", "Кроме того,", "С другой стороны,", "Следует напомнить, что",
             "Однако", "Несколько коллег отметили, что", "На практике"],
    "ADJ": ["прозрачный", "инклюзивный", "сбалансированный", "открытый", "прагматичный"],
    "EVENT": ["Москве", "Санкт-Петербурге", "Баку", "Женеве", "Казани", "Алматы", "Минске"],
    "TPL": [
        "{OPEN} {S} {V} {O}.", "{OPEN} {S} {V} {O}.", "{S} {V} {O} до встречи в {EVENT}.",
        "{S} {V} {O}, и {S2} {V2} {O2}.", "{S} {V} {O}, но {S2} {V2} {O2}.",
        "Нам нужен более {ADJ} подход.", "Мы обсуждали это в {EVENT}, но консенсуса не было.",
        "Посмотрите, пожалуйста, пункт {N} проекта.", "Никто не объяснил, почему {S} {V} {O}.",
        "Меня беспокоит, что {S} {V} {O}.", "С {Y} года {S} {V} {O}.",
    ],
    "SUBJ": ["Проект заявления: {O}", "Комментарии: {O}", "Предложение: {O}", "Вопрос про {O}",
             "Протокол встречи {D}", "Встреча в {EVENT}"],
    "GREET": ["Уважаемые коллеги,", "Добрый день,", "Здравствуйте, {F}!", "Коллеги,", "Привет всем,"],
    "CLOSE": ["С уважением,", "Спасибо,", "Всего доброго,", "С наилучшими пожеланиями,"],
}

LANGS = {"en": EN, "fr": FR, "es": ES, "pt": PT, "de": DE, "ru": RU}

# Attribution lines for inline quoting, by language.  {d}=dd/mm/yyyy {hm}=HH:MM {n}=name
ATTRIB_NATIVE = {
    "fr": "Le {d} à {hm}, {n} a écrit :",
    "es": "El {d} a las {hm}, {n} escribió:",
    "pt": "Em {d} às {hm}, {n} escreveu:",
    "de": "Am {dd} um {hm} schrieb {n}:",
    "ru": "{dd} {hm}, {n} пишет:",
}

FROM_LINES = [
    "From my point of view, the draft still misses the point about {O}.",
    "From the minutes of the last call: {S} {V} {O}.",
    "From what I heard in {EVENT}, {S} {V} {O}.",
    "From a technical perspective, {O} is not the problem.",
    "From {Y} onwards, {S} {V} {O}.",
    "From the transcript: \"{S} {V} {O}\".",
]
GTFROM_LINES = [
    ">From the archives ({Y}): {S} {V} {O}.",
    ">From: the old list archive, message of {D}",
    ">From the secretariat's note: {O} will be on the agenda.",
]

# --------------------------------------------------------------------------------------
# People
# --------------------------------------------------------------------------------------

EN_FIRST = ("James Mary John Patricia Robert Jennifer Michael Linda William Elizabeth David Barbara "
            "Richard Susan Joseph Jessica Thomas Sarah Charles Karen Christopher Nancy Daniel Lisa "
            "Matthew Margaret Anthony Sandra Mark Ashley Paul Emily Steven Donna Andrew Michelle "
            "Kenneth Carol Joshua Amanda Kevin Melissa Brian Deborah George Stephanie Edward Rebecca "
            "Ronald Laura Timothy Helen Jason Sharon Jeffrey Cynthia Ryan Kathleen Amy Gary Nicholas "
            "Angela Eric Anna Jonathan Ruth Stephen Brenda Nicole Scott Katherine Samuel Catherine "
            "Gregory Rachel Patrick Janet Frank Emma Raymond Heather Dennis Diane Julie Aaron Victoria "
            "Adebayo Chinedu Amina Kwame Fatima Priya Rajesh Anil Nnenna Kofi Ayesha Tariq Bilal Grace "
            "Wanjiru Mwangi Olusegun Siddharth Lakshmi Vint Avri Milton Wolfgang Bertrand Nii").split()
EN_LAST = ("Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore Martin "
           "Jackson Thompson White Harris Clark Lewis Robinson Walker Young Allen King Wright Scott Hill "
           "Green Adams Baker Nelson Carter Mitchell Roberts Turner Phillips Campbell Parker Evans "
           "Edwards Collins Stewart Morris Murphy Cook Rogers Okafor Mensah Nwosu Sharma Gupta Iyer "
           "Banerjee Kariuki Odhiambo Hassan Khan O'Brien Quaynor Adeyemi Doria Mueller Kleinwachter "
           "Chatterjee Reddy Nkosi Abdullah Rahman Fitzgerald MacLeod").split()
FR_FIRST = ("François Hélène Jérôme Amélie Benoît Cécile Stéphane Élodie Frédéric Géraldine Loïc Anaïs "
            "Rémi Béatrice Sébastien Thérèse André Mathilde Jean-Luc Marie-Hélène Pierre Isabelle "
            "Nicolas Sophie Olivier Chloé Aurélien Noël Gaëlle Raphaël Aïssatou Mamadou").split()
FR_LAST = ("Dupré Lefèvre Bérubé Gagné Côté Hébert Lévesque Ménard Séguin Thériault Dubois Moreau "
           "Laurent Girard Fournier Mercier Chevalier Rousseau Blanchard Bélanger Garçon Pâris "
           "Lemaître Desrosiers Diallo Ndiaye Traoré Benoît Léger").split()
ES_FIRST = ("José María Jesús Ángel Inés Sofía Raúl Lucía Andrés Mónica Martín Verónica Joaquín Begoña "
            "Iñaki Néstor Adrián Míriam Rocío Óscar Carlos Gabriela Alejandro Valentina Diego Camila "
            "Fernando Paula Ramón Julián").split()
ES_LAST = ("García Martínez Rodríguez López González Pérez Sánchez Ramírez Hernández Jiménez Muñoz "
           "Gómez Díaz Álvarez Domínguez Vázquez Ibáñez Núñez Peña Fernández Gutiérrez Suárez "
           "Castañeda Ordóñez Beltrán Cañete Echeverría").split()
PT_FIRST = ("João Conceição Sebastião Antônio Gonçalo Lúcia Márcio Fábio Cláudia Vânia Luís Raquel "
            "Thiago Flávia Rogério Hartmut Demi Cristina Cássio Estêvão").split()
PT_LAST = ("Gonçalves Magalhães Simões Araújo Guimarães Brandão Falcão Assunção Lobão Silva Santos "
           "Oliveira Souza Pereira Getschko Glaser Brito Camões").split()
DE_FIRST = ("Jürgen Jörg Günther Björn Sören Käthe Hannelore Uwe Dörte Ulrike Matthias Sabine Claudia "
            "Klaus Götz Bärbel Michael Stefan Heike Andreas Birgit Torsten Jens Ute Rüdiger Jürg "
            "Anja Lutz Gerd Kathrin").split()
DE_LAST = ("Müller Schäfer Köhler Jäger Groß Weiß Schröder Krüger Böhm Günther Hübner Fuchs Koch "
           "Wagner Becker Hoffmann Schulz Bauer Möller Lüdtke Voß Kühn Nüßlein Zöllner Schütz "
           "Oßwald Dörr").split()
RU_FIRST = [("Иван", "Ivan", "m"), ("Сергей", "Sergey", "m"), ("Алексей", "Alexey", "m"),
            ("Дмитрий", "Dmitry", "m"), ("Андрей", "Andrey", "m"), ("Михаил", "Mikhail", "m"),
            ("Николай", "Nikolay", "m"), ("Владимир", "Vladimir", "m"), ("Юрий", "Yuri", "m"),
            ("Павел", "Pavel", "m"), ("Олег", "Oleg", "m"), ("Фёдор", "Fedor", "m"),
            ("Татьяна", "Tatiana", "f"), ("Елена", "Elena", "f"), ("Ольга", "Olga", "f"),
            ("Наталья", "Natalia", "f"), ("Ирина", "Irina", "f"), ("Светлана", "Svetlana", "f"),
            ("Анна", "Anna", "f"), ("Мария", "Maria", "f"), ("Екатерина", "Ekaterina", "f"),
            ("Людмила", "Lyudmila", "f"), ("Юлия", "Yulia", "f"), ("Ксения", "Ksenia", "f")]
RU_LAST = [("Петров", "Petrov"), ("Смирнов", "Smirnov"), ("Кузнецов", "Kuznetsov"),
           ("Соколов", "Sokolov"), ("Попов", "Popov"), ("Лебедев", "Lebedev"), ("Козлов", "Kozlov"),
           ("Новиков", "Novikov"), ("Морозов", "Morozov"), ("Волков", "Volkov"),
           ("Соловьёв", "Solovyov"), ("Васильев", "Vasiliev"), ("Зайцев", "Zaitsev"),
           ("Павлов", "Pavlov"), ("Семёнов", "Semenov"), ("Голубев", "Golubev"),
           ("Виноградов", "Vinogradov"), ("Богданов", "Bogdanov"), ("Воробьёв", "Vorobyov"),
           ("Фёдоров", "Fedorov"), ("Михайлов", "Mikhailov"), ("Беляев", "Belyaev"),
           ("Тарасов", "Tarasov"), ("Белов", "Belov"), ("Комаров", "Komarov"), ("Орлов", "Orlov"),
           ("Киселёв", "Kiselev"), ("Макаров", "Makarov"), ("Андреев", "Andreev"),
           ("Ковалёв", "Kovalev"), ("Ильин", "Ilyin"), ("Гусев", "Gusev"), ("Титов", "Titov"),
           ("Баранов", "Baranov"), ("Куликов", "Kulikov"), ("Степанов", "Stepanov"),
           ("Сорокин", "Sorokin"), ("Романов", "Romanov"), ("Захаров", "Zakharov"),
           ("Королёв", "Korolev")]
ZH_LAST = [("王", "Wang"), ("李", "Li"), ("张", "Zhang"), ("刘", "Liu"), ("陈", "Chen"), ("杨", "Yang"),
           ("黄", "Huang"), ("赵", "Zhao"), ("吴", "Wu"), ("周", "Zhou"), ("徐", "Xu"), ("孙", "Sun"),
           ("马", "Ma"), ("朱", "Zhu"), ("胡", "Hu"), ("郭", "Guo"), ("何", "He"), ("高", "Gao"),
           ("林", "Lin"), ("罗", "Luo")]
ZH_FIRST = [("伟", "Wei"), ("芳", "Fang"), ("娜", "Na"), ("敏", "Min"), ("静", "Jing"), ("丽", "Li"),
            ("强", "Qiang"), ("磊", "Lei"), ("军", "Jun"), ("洋", "Yang"), ("勇", "Yong"), ("艳", "Yan"),
            ("杰", "Jie"), ("娟", "Juan"), ("涛", "Tao"), ("明", "Ming"), ("超", "Chao"),
            ("秀英", "Xiuying"), ("霞", "Xia"), ("平", "Ping"), ("建华", "Jianhua"), ("晓明", "Xiaoming"),
            ("志强", "Zhiqiang"), ("海燕", "Haiyan")]

DOMAINS = ["example.org", "example.net", "example.com", "isoc.example.org", "gov.example.net",
           "mail.example.com", "univ.example.edu", "registry.example.net", "ngo.example.org",
           "telecom.example.com", "ministry.example.gov", "lab.example.edu", "coalition.example.org",
           "nic.example.net", "consulting.example.com", "un.example.int"]
ORGS = {
    "en": ["Internet Society, Example Chapter", "Example University, Centre for Internet & Society",
           "Ministry of Communications", "Example Telecom plc", "Digital Rights Coalition",
           "Regional Internet Registry", "Independent consultant", "Association for Progressive Example",
           "School of Law, Example University", "ccTLD Registry", "Global Business Forum"],
    "fr": ["Association française des utilisateurs d'Internet", "Ministère de l'Économie numérique",
           "Université de Montréal, Faculté de droit", "Réseau francophone des régulateurs",
           "Consultant indépendant"],
    "es": ["Asociación de Usuarios de Internet", "Secretaría de Comunicaciones",
           "Universidad Nacional, Facultad de Derecho", "Red de Derechos Digitales", "Consultor independiente"],
    "pt": ["Comitê Gestor da Internet", "Instituto de Tecnologia e Sociedade", "Universidade Federal",
           "Coletivo de Direitos Digitais"],
    "de": ["Bundesministerium für Wirtschaft", "Universität Münster, Institut für Informationsrecht",
           "Verband der Internetwirtschaft", "Digitale Gesellschaft e.V."],
    "ru": ["Координационный центр доменов", "Московский государственный университет",
           "Российская ассоциация электронных коммуникаций", "Министерство цифрового развития"],
    "zh": ["China Internet Network Information Center", "Internet Society of China",
           "Tsinghua University, School of Law"],
}
TITLES = ["Policy Advisor", "Senior Counsel", "Director", "Research Fellow", "Coordinator",
          "Chair", "Head of International Affairs", "Programme Officer", "Professor", "Consultant"]

TZS = [(-800, "PST"), (-700, "MST"), (-600, "CST"), (-500, "EST"), (-400, "EDT"), (-300, None),
       (0, "GMT"), (100, "CET"), (200, "CEST"), (200, "EET"), (300, "MSK"), (330, None), (400, None),
       (530, "IST"), (545, None), (800, "CST"), (900, "JST"), (1000, "AEST"), (1200, "NZST"),
       (-1000, "HST"), (-330, None), (100, "WAT"), (300, "EAT")]

# --------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------

WDAY = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
WDAY_LONG = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MON = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
MON_LONG = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
            "October", "November", "December"]
T_START = 1072915200   # 2004-01-01 00:00:00 UTC
T_END = 1735689599     # 2024-12-31 23:59:59 UTC

Q_SAFE = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!*+-/")


def q_encode(b):
    out = []
    for c in b:
        if c in Q_SAFE:
            out.append(chr(c))
        elif c == 32:
            out.append("_")
        else:
            out.append("=%02X" % c)
    return "".join(out)


_EW_CACHE = {}


def encoded_words(text, charset, enc):
    """RFC 2047 encoded-words (each <= 75 chars), joined by folding whitespace."""
    key = (text, charset, enc)
    r = _EW_CACHE.get(key)
    if r is None:
        r = _encoded_words(text, charset, enc)
        if len(_EW_CACHE) < 20000:
            _EW_CACHE[key] = r
    return r


def _encoded_words(text, charset, enc):
    words = []
    prefix = "=?%s?%s?" % (charset, enc)
    budget = 75 - len(prefix) - 2
    chunk = ""
    for ch in text:
        cand = chunk + ch
        b = cand.encode(charset)
        n = ((len(b) + 2) // 3) * 4 if enc == "B" else len(q_encode(b))
        if n > budget and chunk:
            words.append(chunk)
            chunk = ch
        else:
            chunk = cand
    if chunk:
        words.append(chunk)
    res = []
    for w in words:
        b = w.encode(charset)
        if enc == "B":
            res.append(prefix + binascii.b2a_base64(b, newline=False).decode("ascii") + "?=")
        else:
            res.append(prefix + q_encode(b) + "?=")
    return "\n ".join(res)


def is_ascii(s):
    return s.isascii()


def ascii_fold(s):
    s = s.replace("ß", "ss").replace("Æ", "AE").replace("æ", "ae")
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode("ascii")


def wrap(text, width=72):
    words = text.split(" ")
    lines = []
    cur = []
    n = 0
    for w in words:
        if cur and n + 1 + len(w) > width:
            lines.append(" ".join(cur))
            cur = [w]
            n = len(w)
        else:
            n += len(w) + (1 if cur else 0)
            cur.append(w)
    if cur:
        lines.append(" ".join(cur))
    return "\n".join(lines)


def fmt_tz(off):
    return ("+" if off >= 0 else "-") + "%04d" % abs(off)


def tz_seconds(off):
    a = abs(off)
    s = (a // 100) * 3600 + (a % 100) * 60
    return s if off >= 0 else -s


def b64_body(data):
    s = binascii.b2a_base64(data, newline=False)
    return b"\n".join([s[i:i + 76] for i in range(0, len(s), 76)]) + b"\n"


def qp_body(data):
    out = binascii.b2a_qp(data, quotetabs=False, istext=True, header=False)
    if not out.endswith(b"\n"):
        out += b"\n"
    return out


MBOXRD_RE = re.compile(rb"^(>*From )", re.M)


# --------------------------------------------------------------------------------------
# The generator
# --------------------------------------------------------------------------------------

LIST_NAMES = [
    ("governance", "Internet governance discussion"),
    ("igf-mag", "IGF Multistakeholder Advisory Group"),
    ("policy-wg", "Policy working group"),
    ("wsis-cs", "WSIS civil society plenary"),
    ("rir-policy", "Regional registry policy proposals"),
    ("privacy", "Privacy and data protection caucus"),
    ("access", "Access and the digital divide"),
    ("capacity", "Capacity building coalition"),
    ("gnso-wg", "GNSO working group"),
    ("youth", "Youth coalition on Internet governance"),
    ("gender", "Gender and Internet governance"),
    ("nri-coord", "National and regional IGF coordinators"),
]

CLIENTS = {
    # name: (weight, quote style, multipart/alternative probability)
    "outlook": (24, "outlook", 0.52),
    "thunderbird": (20, "inline", 0.0),
    "gmail": (18, "inline", 0.12),
    "mutt": (8, "inline", 0.0),
    "apple": (10, "inline", 0.0),
    "lotus": (5, "lotus", 0.0),
    "webmail": (8, "inline", 0.0),
    "pine": (7, "inline", 0.0),
}

OUTLOOK_STYLE = """<style><!--
/* Font Definitions */
@font-face
\t{font-family:"Cambria Math";
\tpanose-1:2 4 5 3 5 4 6 3 2 4;}
@font-face
\t{font-family:Calibri;
\tpanose-1:2 15 5 2 2 2 4 3 2 4;}
@font-face
\t{font-family:Tahoma;
\tpanose-1:2 11 6 4 3 5 4 4 2 4;}
/* Style Definitions */
p.MsoNormal, li.MsoNormal, div.MsoNormal
\t{margin:0in;
\tmargin-bottom:.0001pt;
\tfont-size:11.0pt;
\tfont-family:"Calibri",sans-serif;}
a:link, span.MsoHyperlink
\t{mso-style-priority:99;
\tcolor:#0563C1;
\ttext-decoration:underline;}
a:visited, span.MsoHyperlinkFollowed
\t{mso-style-priority:99;
\tcolor:#954F72;
\ttext-decoration:underline;}
p.MsoAcetate, li.MsoAcetate, div.MsoAcetate
\t{mso-style-priority:99;
\tmso-style-link:"Balloon Text Char";
\tmargin:0in;
\tfont-size:8.0pt;
\tfont-family:"Tahoma",sans-serif;}
span.EmailStyle17
\t{mso-style-type:personal-reply;
\tfont-family:"Calibri",sans-serif;
\tcolor:#1F497D;}
.MsoChpDefault
\t{mso-style-type:export-only;
\tfont-family:"Calibri",sans-serif;}
@page WordSection1
\t{size:8.5in 11.0in;
\tmargin:1.0in 1.0in 1.0in 1.0in;}
div.WordSection1
\t{page:WordSection1;}
--></style>"""

OUTLOOK_HEAD = ('<html xmlns:v="urn:schemas-microsoft-com:vml" '
                'xmlns:o="urn:schemas-microsoft-com:office:office" '
                'xmlns:w="urn:schemas-microsoft-com:office:word" '
                'xmlns:m="http://schemas.microsoft.com/office/2004/12/omml" '
                'xmlns="http://www.w3.org/TR/REC-html40">\n<head>\n'
                '<meta http-equiv="Content-Type" content="text/html; charset={cs}">\n'
                '<meta name="Generator" content="Microsoft Word {ver} (filtered medium)">\n'
                '<!--[if !mso]><style>v\\:* {{behavior:url(#default#VML);}}\n'
                'o\\:* {{behavior:url(#default#VML);}}\nw\\:* {{behavior:url(#default#VML);}}\n'
                '.shape {{behavior:url(#default#VML);}}\n</style><![endif]-->' + OUTLOOK_STYLE.replace("{", "{{").replace("}", "}}") +
                '<!--[if gte mso 9]><xml>\n<o:shapedefaults v:ext="edit" spidmax="1026" />\n'
                '</xml><![endif]--><!--[if gte mso 9]><xml>\n<o:shapelayout v:ext="edit">\n'
                '<o:idmap v:ext="edit" data="1" />\n</o:shapelayout></xml><![endif]-->\n</head>\n'
                '<body lang="{lang}" link="#0563C1" vlink="#954F72">\n<div class="WordSection1">\n')


class Person:
    __slots__ = ("name", "first", "addr", "lang", "native_p", "client", "from_hdr", "tz", "tzname",
                 "sig", "cs_pref", "weight", "host", "attrib_name", "smart")


class Thread:
    __slots__ = ("list", "subject", "subj_hdr", "lang", "parts", "recent", "remaining", "delay",
                 "orphan")


class Gen:
    def __init__(self, seed, nlists, total):
        self.seed = seed
        self.total = total
        rng = random.Random(seed * 7919 + 17)   # setup stream, independent of message stream
        self.rng = random.Random(seed)
        self._build_lists(rng, nlists)
        self._build_people(rng)
        self._build_paragraphs(rng)
        self._build_attachments(rng)
        self.seq = 0

    # ---- setup ----
    def _build_lists(self, rng, k):
        self.lists = []
        for i in range(k):
            if i < len(LIST_NAMES):
                name, desc = LIST_NAMES[i]
            else:
                name, desc = "list%d" % (i + 1), "Discussion list %d" % (i + 1)
            footer_style = i % 4  # 0,1: mailman 2, 2: "You received this", 3: none
            if footer_style in (0, 1):
                footer = ("_______________________________________________\n%s mailing list\n"
                          "%s@lists.example.org\nhttps://lists.example.org/mailman/listinfo/%s\n"
                          % (name, name, name))
            elif footer_style == 2:
                footer = ("____________________________________________________________\n"
                          "You received this message as a subscriber on the list:\n"
                          "     %s@lists.example.org\nTo be removed from the list, visit:\n"
                          "     https://lists.example.org/options/%s\n\n"
                          "For all other list information and functions, see:\n"
                          "     https://lists.example.org/info/%s\n"
                          "To edit your profile and to find the IGC's charter, see:\n"
                          "     https://www.example.org/\n\nTranslate this email: https://translate.example.com/\n"
                          % (name, name, name))
            else:
                footer = ""
            hdrs = ("X-BeenThere: {n}@lists.example.org\nX-Mailman-Version: 2.1.{v}\n"
                    "Precedence: list\nList-Id: {d} <{n}.lists.example.org>\n"
                    "List-Unsubscribe: <https://lists.example.org/mailman/options/{n}>,\n"
                    "\t<mailto:{n}-request@lists.example.org?subject=unsubscribe>\n"
                    "List-Archive: <https://lists.example.org/pipermail/{n}/>\n"
                    "List-Post: <mailto:{n}@lists.example.org>\n"
                    "List-Help: <mailto:{n}-request@lists.example.org?subject=help>\n"
                    "List-Subscribe: <https://lists.example.org/mailman/listinfo/{n}>,\n"
                    "\t<mailto:{n}-request@lists.example.org?subject=subscribe>\n"
                    "Sender: \"{n}\" <{n}-bounces@lists.example.org>\n"
                    "Errors-To: {n}-bounces@lists.example.org\n").format(n=name, d=desc, v=9 + i % 30)
            self.lists.append({"name": name, "addr": name + "@lists.example.org", "footer": footer,
                               "hdrs": hdrs, "tag": "[%s] " % name, "people": [], "cum": None,
                               "desc": desc})
        self.list_cum = []
        acc = 0.0
        for i in range(k):
            acc += 1.0 / (i + 1) ** 0.8
            self.list_cum.append(acc)

    def _build_people(self, rng):
        groups = [("en", 330), ("fr", 100), ("es", 100), ("pt", 50), ("de", 80), ("ru", 80), ("zh", 60)]
        people = []
        seen_addr = set()
        seen_name = set()
        client_names = list(CLIENTS)
        client_w = [CLIENTS[c][0] for c in client_names]
        for lang, count in groups:
            made = 0
            tries = 0
            while made < count and tries < count * 50:
                tries += 1
                p = Person()
                if lang == "ru":
                    f, fl, g = rng.choice(RU_FIRST)
                    l, ll = rng.choice(RU_LAST)
                    if g == "f":
                        l, ll = l + "а", ll + "a"
                    name, first, latin = "%s %s" % (f, l), f, (fl, ll)
                elif lang == "zh":
                    l, ll = rng.choice(ZH_LAST)
                    f, fl = rng.choice(ZH_FIRST)
                    r = rng.random()
                    if r < 0.5:
                        name = l + f
                    elif r < 0.8:
                        name = "%s %s (%s%s)" % (fl, ll.upper(), l, f)
                    else:
                        name = "%s %s" % (fl, ll)
                    first, latin = fl, (fl, ll)
                else:
                    fn, ln = {"en": (EN_FIRST, EN_LAST), "fr": (FR_FIRST, FR_LAST),
                              "es": (ES_FIRST, ES_LAST), "pt": (PT_FIRST, PT_LAST),
                              "de": (DE_FIRST, DE_LAST)}[lang]
                    f, l = rng.choice(fn), rng.choice(ln)
                    if lang == "es" and rng.random() < 0.3:
                        l = l + " " + rng.choice(ln)
                    name, first = "%s %s" % (f, l), f
                    latin = (ascii_fold(f), ascii_fold(l))
                if name in seen_name:
                    continue
                seen_name.add(name)
                lf = re.sub(r"[^a-z0-9]", "", latin[0].lower())
                ll_ = re.sub(r"[^a-z0-9]", "", latin[1].lower().split(" ")[0])
                dom = rng.choice(DOMAINS)
                r = rng.random()
                local = (lf + "." + ll_ if r < 0.5 else (lf[0] + ll_ if r < 0.75 else
                         (lf + "_" + ll_ if r < 0.85 else ll_ + str(rng.randint(1, 99)))))
                addr = local + "@" + dom
                k = 2
                while addr in seen_addr:
                    addr = "%s%d@%s" % (local, k, dom)
                    k += 1
                seen_addr.add(addr)
                p.name, p.first, p.addr, p.lang = name, first, addr, lang
                p.native_p = 0.0 if lang in ("en", "zh") else 0.4
                p.client = rng.choices(client_names, client_w)[0]
                p.host = dom
                tzo, tzn = rng.choice(TZS)
                if lang in ("fr", "de", "es") and rng.random() < 0.6:
                    tzo, tzn = rng.choice([(100, "CET"), (200, "CEST")])
                elif lang == "ru" and rng.random() < 0.7:
                    tzo, tzn = rng.choice([(300, "MSK"), (400, "MSD")])
                elif lang == "zh" and rng.random() < 0.8:
                    tzo, tzn = 800, "CST"
                p.tz, p.tzname = tzo, tzn
                # From header
                if is_ascii(name):
                    if rng.random() < 0.08:
                        fh = addr
                    elif rng.random() < 0.06:
                        fh = "%s (%s)" % (addr, name)
                    elif "'" in name or rng.random() < 0.3:
                        fh = '"%s" <%s>' % (name, addr)
                    else:
                        fh = "%s <%s>" % (name, addr)
                else:
                    if lang == "ru":
                        cs = rng.choice(["koi8-r", "KOI8-R", "utf-8", "UTF-8"])
                        enc = "B" if rng.random() < 0.8 else "Q"
                    elif lang == "zh":
                        cs, enc = rng.choice(["utf-8", "UTF-8"]), "B"
                    else:
                        cs = rng.choice(["iso-8859-1", "ISO-8859-1", "utf-8", "UTF-8", "Windows-1252"])
                        enc = "Q" if rng.random() < 0.75 else "B"
                    ew = encoded_words(name, cs, enc)
                    fh = "%s <%s>" % (ew, addr) if "\n" not in ew else "%s\n <%s>" % (ew, addr)
                p.from_hdr = fh
                # body charset preference
                if lang == "ru":
                    p.cs_pref = rng.choice(["koi8-r", "koi8-r", "utf-8"])
                elif p.client == "outlook":
                    p.cs_pref = rng.choice(["windows-1252", "iso-8859-1", "utf-8"])
                elif lang in ("fr", "es", "pt", "de"):
                    p.cs_pref = rng.choice(["iso-8859-1", "utf-8", "windows-1252"])
                else:
                    p.cs_pref = rng.choice(["us-ascii", "iso-8859-1", "utf-8", "utf-8"])
                p.smart = p.client == "outlook" and p.cs_pref in ("windows-1252", "utf-8")
                # signature
                if rng.random() < 0.7:
                    org = rng.choice(ORGS[lang])
                    sig_lines = [name, rng.choice(TITLES) + ", " + org if lang in ("en", "zh")
                                 else org]
                    if rng.random() < 0.5:
                        sig_lines.append("Tel: +%d %d %03d %04d" % (rng.randint(1, 99), rng.randint(10, 999),
                                                                     rng.randint(0, 999), rng.randint(0, 9999)))
                    if rng.random() < 0.5:
                        sig_lines.append("https://www.%s/" % dom)
                    if p.client in ("mutt", "pine", "thunderbird") or rng.random() < 0.4:
                        p.sig = "-- \n" + "\n".join(sig_lines)
                    else:
                        p.sig = "\n".join(sig_lines)
                else:
                    p.sig = ""
                p.weight = min(200.0, rng.paretovariate(1.16))
                p.attrib_name = name
                people.append(p)
                made += 1
        rng.shuffle(people)
        self.people = people
        # list membership
        k = len(self.lists)
        for p in people:
            m = rng.randint(1, min(3, k))
            chosen = set()
            for _ in range(m):
                chosen.add(self._pick_cum(rng, self.list_cum))
            for li in sorted(chosen):
                self.lists[li]["people"].append(p)
        for li, L in enumerate(self.lists):
            while len(L["people"]) < 8:
                L["people"].append(rng.choice(people))
            acc = 0.0
            cum = []
            for p in L["people"]:
                acc += p.weight
                cum.append(acc)
            L["cum"] = cum

    @staticmethod
    def _pick_cum(rng, cum):
        import bisect
        return bisect.bisect_right(cum, rng.random() * cum[-1])

    def _fill(self, rng, L, tpl, date=None):
        o, o2 = rng.sample(L["O"], 2)
        sc = rng.choice(L["S"])
        s = tpl.format(
            S=rng.choice(L["S"]), S2=rng.choice(L["S"]), SC=sc[0].upper() + sc[1:],
            V=rng.choice(L["V"]), V2=rng.choice(L["V"]), O=o, O2=o2,
            OPEN=rng.choice(L["OPEN"]), ADJ=rng.choice(L["ADJ"]), EVENT=rng.choice(L["EVENT"]),
            N=rng.randint(2, 24), Y=rng.randint(2003, 2024),
            D=date if date is not None else
            "%d %s %d" % (rng.randint(1, 28), MON_LONG[rng.randint(0, 11)], rng.randint(2004, 2024)))
        return s[0].upper() + s[1:]

    def _build_paragraphs(self, rng):
        self.paras = {}
        sizes = {"en": 5000, "fr": 900, "es": 900, "pt": 500, "de": 700, "ru": 700}
        for lang, L in LANGS.items():
            out = []
            for _ in range(sizes[lang]):
                n = rng.choice((1, 2, 2, 3, 3, 3, 4, 4, 5, 6))
                sents = [self._fill(rng, L, rng.choice(L["TPL"])) for _ in range(n)]
                out.append(wrap(" ".join(sents)))
            self.paras[lang] = out
        self.from_paras = [wrap(self._fill(rng, EN, rng.choice(FROM_LINES)) + " " +
                                self._fill(rng, EN, rng.choice(EN["TPL"]))) for _ in range(200)]
        self.gtfrom_lines = [self._fill(rng, EN, rng.choice(GTFROM_LINES)) for _ in range(100)]
        # "\x00" marks a date, filled in when a thread starts (a date near the thread's own)
        self.subjects = {lang: [self._fill(rng, L, rng.choice(L["SUBJ"]), "\x00") for _ in range(400)]
                         for lang, L in LANGS.items()}

    def _build_attachments(self, rng):
        self.shared_att = [self._make_attachment(rng) for _ in range(12)]

    def _make_attachment(self, rng):
        kind = rng.random()
        n = rng.randint(1200, 5500)
        if kind < 0.55:
            topic = rng.choice(["draft_statement", "IGF_programme", "consultation_input",
                                "minutes", "charter_v2", "position_paper", "comments"])
            fname = "%s_%d.pdf" % (topic, rng.randint(2004, 2024))
            data = (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
                    b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
                    b"3 0 obj\n<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>\nendobj\n"
                    + (b"4 0 obj\n<< /Length %d /Filter /FlateDecode >>\nstream\n" % n)
                    + rng.randbytes(n) + b"\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")
            ctype = "application/pdf"
        else:
            topic = rng.choice(["Stellungnahme", "déclaration_finale", "propuesta", "comments_on_draft",
                                "agenda", "contribution"])
            fname = "%s_v%d.docx" % (topic, rng.randint(1, 9))
            data = (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00" + rng.randbytes(16) +
                    b"[Content_Types].xml" + rng.randbytes(n) +
                    b"PK\x05\x06\x00\x00\x00\x00\x0b\x00\x0b\x00" + rng.randbytes(6) + b"\x00\x00")
            ctype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        if fname.isascii():
            disp = 'attachment;\n\tfilename="%s"' % fname
            ct = '%s;\n\tname="%s"' % (ctype, fname)
        else:
            from urllib.parse import quote
            q = quote(fname.encode("utf-8"))
            disp = "attachment;\n\tfilename*=utf-8''%s" % q
            ct = '%s;\n\tname="%s"' % (ctype, encoded_words(fname, "utf-8", "B").replace("\n ", ""))
        hdr = "Content-Type: %s\nContent-Transfer-Encoding: base64\nContent-Disposition: %s\n\n" % (ct, disp)
        return hdr.encode("ascii") + b64_body(data)

    # ---- per message helpers ----
    def date_hdr(self, t, p):
        off = tz_seconds(p.tz)
        g = time.gmtime(t + off)
        c = p.client
        r = self.rng.random()
        if c in ("thunderbird", "lotus") or (c == "pine" and r < 0.5):
            s = "%s, %02d %s %d %02d:%02d:%02d %s" % (WDAY[g.tm_wday], g.tm_mday, MON[g.tm_mon - 1],
                                                       g.tm_year, g.tm_hour, g.tm_min, g.tm_sec, fmt_tz(p.tz))
        else:
            s = "%s, %d %s %d %02d:%02d:%02d %s" % (WDAY[g.tm_wday], g.tm_mday, MON[g.tm_mon - 1],
                                                     g.tm_year, g.tm_hour, g.tm_min, g.tm_sec, fmt_tz(p.tz))
        if c in ("webmail", "pine") and p.tzname:
            s += " (%s)" % p.tzname
        elif r < 0.03:
            s = s[5:]   # no weekday
        elif r < 0.05 and p.tz == 0:
            s = s[:-5] + "GMT"
        return s

    def msgid(self, t, p, seq):
        rng = self.rng
        c = p.client
        if c == "outlook":
            if t < 1356998400:
                return "<%06x01c%05x$%08x$6401a8c0@%s>" % (seq, (t >> 8) & 0xFFFFF, rng.getrandbits(32),
                                                         rng.choice(["PCNAME", "LAPTOP", "DESKTOP01", "OFFICE"]))
            tag = "DM%dPR%02dMB%04d" % (rng.randint(2, 8), rng.randint(1, 19), rng.randint(1000, 9999))
            return "<%s%08X%06X@%s.namprd%02d.prod.outlook.com>" % (tag, rng.getrandbits(32), seq, tag,
                                                                   rng.randint(1, 19))
        if c == "thunderbird":
            return "<%08X.%07d@%s>" % (t, seq, p.host)
        if c == "gmail":
            return "<CA%s%06d@mail.gmail.com>" % (
                binascii.b2a_base64(rng.randbytes(27), newline=False).decode().replace("/", "_")
                .replace("+", "-"), seq)
        if c in ("mutt", "pine"):
            g = time.gmtime(t)
            return "<%04d%02d%02d%02d%02d%02d.G%X%d@%s>" % (g.tm_year, g.tm_mon, g.tm_mday, g.tm_hour,
                                                           g.tm_min, g.tm_sec, rng.getrandbits(12), seq,
                                                           p.host)
        if c == "apple":
            return "<%08X-%04X-%04X-%04X-%012X@%s>" % (rng.getrandbits(32), rng.getrandbits(16),
                                                      rng.getrandbits(16), rng.getrandbits(16), seq, p.host)
        if c == "lotus":
            return "<OF%08X.%08X-ON%08X@%s>" % (rng.getrandbits(32), seq, rng.getrandbits(32), p.host)
        return "<%d.%05d.qm@web%d.webmail.example.net>" % (seq, rng.randint(0, 99999), rng.randint(10, 99))

    def mailer_hdr(self, p):
        c = p.client
        if c == "outlook":
            return "X-Mailer: Microsoft Office Outlook 12.0\nThread-Index: Acc0C08aKzBvVQ8dRsuUmTwEL2n3Yg==\n"
        if c == "thunderbird":
            return "User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:91.0) Gecko/20100101\n Thunderbird/91.13.0\n"
        if c == "mutt":
            return "User-Agent: Mutt/1.5.21 (2010-09-15)\n"
        if c == "pine":
            return "User-Agent: Alpine 2.21 (DEB 202 2017-01-01)\n"
        if c == "apple":
            return "X-Mailer: Apple Mail (2.3654.120.0.1.13)\n"
        if c == "lotus":
            return "X-Mailer: Lotus Notes Release 8.5.3 September 15, 2011\n"
        if c == "webmail":
            return "X-Mailer: WebMail/1.0 (Horde 5.2)\n"
        return ""

    def attribution(self, parent_t, parent_p, me, lang):
        g = time.gmtime(parent_t + tz_seconds(parent_p.tz))
        n = parent_p.name
        if lang in ATTRIB_NATIVE and self.rng.random() < 0.8:
            return ATTRIB_NATIVE[lang].format(d="%02d/%02d/%d" % (g.tm_mday, g.tm_mon, g.tm_year),
                                              dd="%02d.%02d.%d" % (g.tm_mday, g.tm_mon, g.tm_year),
                                              hm="%02d:%02d" % (g.tm_hour, g.tm_min), n=n)
        c = me.client
        h12 = g.tm_hour % 12 or 12
        ap = "AM" if g.tm_hour < 12 else "PM"
        if c == "gmail":
            return "On %s, %s %d, %d at %d:%02d %s %s <%s> wrote:" % (
                WDAY[g.tm_wday], MON[g.tm_mon - 1], g.tm_mday, g.tm_year, h12, g.tm_min, ap, n, parent_p.addr)
        if c in ("mutt", "pine"):
            return "On %s, %s %02d, %d at %02d:%02d:%02d%s %s, %s wrote:" % (
                WDAY[g.tm_wday], MON[g.tm_mon - 1], g.tm_mday, g.tm_year, h12, g.tm_min, g.tm_sec, ap,
                fmt_tz(parent_p.tz), n)
        if c == "apple":
            return "On %d %s %d, at %02d:%02d, %s <%s> wrote:" % (g.tm_mday, MON[g.tm_mon - 1], g.tm_year,
                                                                  g.tm_hour, g.tm_min, n, parent_p.addr)
        if c == "webmail":
            return "--- On %s, %d/%d/%02d, %s <%s> wrote:" % (WDAY[g.tm_wday], g.tm_mon, g.tm_mday,
                                                              g.tm_year % 100, n, parent_p.addr)
        return "On %02d/%02d/%d %02d:%02d, %s wrote:" % (g.tm_mday, g.tm_mon, g.tm_year, g.tm_hour,
                                                         g.tm_min, n)

    def outlook_block(self, parent_t, parent_p, parent_subj, list_addr, style):
        g = time.gmtime(parent_t + tz_seconds(parent_p.tz))
        h12 = g.tm_hour % 12 or 12
        ap = "AM" if g.tm_hour < 12 else "PM"
        sent = "%s, %s %02d, %d %d:%02d %s" % (WDAY_LONG[g.tm_wday], MON_LONG[g.tm_mon - 1], g.tm_mday,
                                               g.tm_year, h12, g.tm_min, ap)
        if style == 0:
            return ("-----Original Message-----\nFrom: %s [mailto:%s]\nSent: %s\nTo: %s\nSubject: %s\n"
                    % (parent_p.name, parent_p.addr, sent, list_addr, parent_subj), sent)
        return ("________________________________\nFrom: %s <%s>\nSent: %s\nTo: %s\nSubject: %s\n"
                % (parent_p.name, parent_p.addr, sent, list_addr, parent_subj), sent)

    # ---- the message ----
    def choose_author(self, thread, parent, t):
        """Picks the author and the language of the next message of a thread."""
        rng = self.rng
        L = self.lists[thread.list]
        if parent is None:
            p = L["people"][self._pick_cum(rng, L["cum"])]
        else:
            if thread.parts and rng.random() < 0.45:
                p = rng.choice(thread.parts)
                if p is parent[1] and len(thread.parts) > 1:
                    p = rng.choice(thread.parts)
            else:
                p = L["people"][self._pick_cum(rng, L["cum"])]
        if p not in thread.parts and len(thread.parts) < 40:
            thread.parts.append(p)
        if parent is None:
            lang = p.lang if (p.native_p and rng.random() < p.native_p) else "en"
            thread.lang = lang
            self.set_subject(thread, lang, t)
        elif thread.lang != "en" and thread.lang == p.lang and rng.random() < 0.9:
            lang = thread.lang
        elif p.native_p and rng.random() < 0.12:
            lang = p.lang
        else:
            lang = "en"
        return p, lang

    def make(self, t, thread, parent):
        """Returns (bytes, envelope sender, info for replies)."""
        rng = self.rng
        self.seq += 1
        seq = self.seq
        L = self.lists[thread.list]
        p, lang = self.choose_author(thread, parent, t)
        V = LANGS[lang]
        # new text
        k = rng.choice((1, 2, 2, 2, 3, 3, 3, 4, 4, 5, 6, 8, 10))
        paras = rng.choices(self.paras[lang], k=k)
        rr = rng.random()
        if rr < 0.02:
            paras.insert(rng.randint(0, len(paras)), rng.choice(self.from_paras))
        elif rr < 0.026:
            paras.insert(rng.randint(0, len(paras)), rng.choice(self.gtfrom_lines))
        greet = rng.choice(V["GREET"]).format(F=parent[1].first if parent else "all") \
            if rng.random() < 0.6 else None
        close = rng.choice(V["CLOSE"]) + "\n" + p.first if rng.random() < 0.7 else p.first
        new_text = "\n\n".join(paras)
        if p.smart:
            new_text = new_text.replace("'", "\u2019").replace(" - ", " \u2013 ")
        body_parts = []
        if greet:
            body_parts.append(greet)
        quote_style = CLIENTS[p.client][1]
        quoted_for_next = new_text
        html_quote = None
        subj_base = thread.subject
        # Subject
        if parent is None:
            if thread.orphan:
                subject = "Re: " + L["tag"] + thread.subj_hdr
            else:
                subject = L["tag"] + thread.subj_hdr
            subj_plain = L["tag"] + subj_base
        else:
            r = rng.random()
            re_ = "RE: " if p.client == "outlook" else "Re: "
            if p.client == "outlook" and p.lang == "de" and r < 0.5:
                re_ = "AW: "
            if r < 0.8:
                subject = re_ + L["tag"] + thread.subj_hdr
            elif r < 0.92:
                subject = L["tag"] + re_ + thread.subj_hdr
            else:
                subject = re_ + "Re: " + L["tag"] + thread.subj_hdr
            subj_plain = "Re: " + L["tag"] + subj_base
        tail = [close]
        if p.sig:
            tail.append(p.sig)
        if parent is not None:
            pt, pp, pid, prefs, ptext, psubj = parent
            qstyle = quote_style
            if rng.random() < 0.08:
                qstyle = "none"
            if qstyle == "inline":
                att = self.attribution(pt, pp, p, lang)
                lines = ptext.split("\n")
                if len(lines) > 40:
                    lines = lines[:40]
                    lines.append("[...]")
                q = "\n".join([(">" + ln if ln.startswith(">") else "> " + ln) if ln else ">"
                               for ln in lines])
                if rng.random() < 0.7:
                    # bottom-post, sometimes interleaved
                    if len(paras) > 1 and rng.random() < 0.35:
                        qlines = q.split("\n")
                        cut = len(qlines) // 2
                        body_parts += [att, "\n".join(qlines[:cut]), paras[0], "\n".join(qlines[cut:]),
                                       "\n\n".join(paras[1:])]
                    else:
                        body_parts += [att, q, new_text]
                    body_parts += tail
                else:
                    body_parts.append(new_text)
                    body_parts += tail
                    body_parts += [att, q]
                quoted_for_next = new_text + "\n\n" + "\n".join(q.split("\n")[:8])
                html_quote = (att, ptext)
            elif qstyle == "outlook":
                block, sent = self.outlook_block(pt, pp, psubj, L["addr"], rng.randint(0, 1))
                body_parts.append(new_text)
                body_parts += tail
                body_parts += [block.rstrip("\n"), ptext]
                html_quote = ("OUTLOOK", pp, sent, L["addr"], psubj, ptext)
            elif qstyle == "lotus":
                g = time.gmtime(pt + tz_seconds(pp.tz))
                h12 = g.tm_hour % 12 or 12
                hdr = ">>> %s %d/%d/%d %d:%02d %s >>>" % (pp.name, g.tm_mon, g.tm_mday, g.tm_year, h12,
                                                         g.tm_min, "AM" if g.tm_hour < 12 else "PM")
                body_parts.append(new_text)
                body_parts += tail
                body_parts += [hdr, ptext]
            else:
                body_parts.append(new_text)
                body_parts += tail
        else:
            body_parts.append(new_text)
            body_parts += tail
        text = "\n\n".join(body_parts) + "\n"
        if len(quoted_for_next) > 2400:
            quoted_for_next = quoted_for_next[:2400].rsplit("\n", 1)[0]
        if p.sig and rng.random() < 0.3:
            quoted_for_next += "\n\n" + p.sig

        # charset / transfer encoding
        cs = p.cs_pref
        if text.isascii():
            cs_out = "us-ascii" if cs == "us-ascii" or rng.random() < 0.3 else cs
            data = text.encode("ascii")
            cte = "7bit"
        else:
            cs_out = cs
            if cs == "us-ascii":
                cs_out = "iso-8859-1" if p.lang != "ru" else "koi8-r"
            try:
                data = text.encode(cs_out)
            except UnicodeEncodeError:
                cs_out = "utf-8"
                data = text.encode("utf-8")
            c = p.client
            r = rng.random()
            if c == "outlook" or c == "apple":
                cte = "quoted-printable"
            elif c == "webmail" or (c == "gmail" and r < 0.5 and cs_out == "utf-8"):
                cte = "base64"
            elif c == "lotus":
                cte = "base64" if r < 0.5 else "quoted-printable"
            else:
                cte = "8bit" if r < 0.75 else "quoted-printable"

        footer = L["footer"]
        multipart_alt = rng.random() < CLIENTS[p.client][2]
        attach = rng.random() < 0.05
        # Mailman appends the footer inline to a single text/plain part that is not base64
        inline_footer = footer and not multipart_alt and not attach and cte != "base64"
        if inline_footer:
            text_f = text + "\n" + footer
            if cte == "7bit":
                data = text_f.encode("ascii")
            else:
                data = text_f.encode(cs_out, "replace")
        enc_body = data if cte in ("7bit", "8bit") else (qp_body(data) if cte == "quoted-printable"
                                                        else b64_body(data))
        fmt = "; format=flowed" if p.client == "thunderbird" and rng.random() < 0.5 else ""
        if p.client in ("gmail", "apple"):
            text_ct = 'text/plain; charset="%s"' % cs_out.upper() if p.client == "gmail" else \
                "text/plain; charset=%s" % cs_out
        else:
            text_ct = "text/plain; charset=%s%s" % (cs_out, fmt)

        # ---- headers ----
        mid = self.msgid(t, p, seq)
        hdr = []
        hdr.append("Return-Path: <%s>\n" % p.addr)
        lt = t + rng.randint(1, 90)
        g = time.gmtime(lt)
        rdate = "%s, %2d %s %d %02d:%02d:%02d +0000 (UTC)" % (WDAY[g.tm_wday], g.tm_mday, MON[g.tm_mon - 1],
                                                              g.tm_year, g.tm_hour, g.tm_min, g.tm_sec)
        qid = "%010X" % rng.getrandbits(40)
        hdr.append("Received: from lists.example.org (localhost [127.0.0.1])\n\tby lists.example.org "
                   "(Postfix) with ESMTP id %s;\n\t%s\n" % (qid, rdate))
        ip = "%s.%d" % (rng.choice(("192.0.2", "198.51.100", "203.0.113")), rng.randint(1, 254))
        hdr.append("Received: from mail.%s (mail.%s [%s])\n\tby lists.example.org (Postfix) with ESMTPS id "
                   "%010X\n\tfor <%s>; %s\n" % (p.host, p.host, ip, rng.getrandbits(40), L["addr"], rdate))
        if t >= 1262304000 and p.client in ("gmail", "outlook", "webmail", "apple") and rng.random() < 0.8:
            # modern mail: the list server's spam/authentication checks and the sender's DKIM
            hdr.append(self.auth_hdrs(p, rdate))
        if rng.random() < 0.6:
            hdr.append("X-Spam-Status: No, score=%.1f required=5.0 tests=BAYES_00,DKIM_SIGNED,\n"
                       "\tDKIM_VALID,RCVD_IN_DNSWL_NONE,SPF_PASS autolearn=ham version=3.4.2\n"
                       % (rng.uniform(-4.0, 1.5)))
        date = self.date_hdr(t, p)
        hdr.append("From: %s\n" % p.from_hdr)
        to = L["addr"]
        if rng.random() < 0.15:
            to = '"%s" <%s>' % (L["desc"], L["addr"])
        hdr.append("To: %s\n" % to)
        if parent is not None and rng.random() < 0.3 and parent[1] is not p:
            hdr.append("Cc: %s\n" % parent[1].from_hdr)
        hdr.append("Date: %s\n" % date)
        hdr.append("Message-ID: %s\n" % mid)
        if "\n" not in subject and len(subject) > 70:
            sp = subject.rfind(" ", 20, 70)
            if sp > 0:
                subject = subject[:sp] + "\n" + subject[sp:]
        hdr.append("Subject: %s\n" % subject)
        refs_out = ()
        if parent is not None:
            pid, prefs = parent[2], parent[3]
            r = rng.random()
            if r < 0.05:
                pass                      # subject-only threading
            elif r < 0.15:
                hdr.append("In-Reply-To: %s\n" % pid)            # no References
            elif r < 0.19:
                refs_out = prefs + (pid,)
                hdr.append("References: %s\n" % "\n\t".join(self._cap_refs(refs_out)))
            else:
                refs_out = prefs + (pid,)
                if p.client == "outlook" and rng.random() < 0.5:
                    hdr.append("In-Reply-To: %s\n" % pid)
                    hdr.append("References: %s\n" % "\n\t".join(self._cap_refs(refs_out)))
                else:
                    hdr.append("References: %s\n" % "\n\t".join(self._cap_refs(refs_out)))
                    hdr.append("In-Reply-To: %s\n" % pid)
        elif thread.orphan:
            ghost = "<%08X.%d@ghost.example.net>" % (rng.getrandbits(32), seq)
            hdr.append("In-Reply-To: %s\n" % ghost)
            refs_out = (ghost,)
        hdr.append(self.mailer_hdr(p))
        mime_ver = not (cte == "7bit" and not multipart_alt and not attach and rng.random() < 0.1)
        if mime_ver:
            hdr.append("MIME-Version: 1.0\n")
        hdr.append(L["hdrs"])

        # ---- body structure ----
        if not multipart_alt and not attach and (inline_footer or not footer):
            if mime_ver:
                hdr.append("Content-Type: %s\nContent-Transfer-Encoding: %s\n" % (text_ct, cte))
            head = "".join(hdr)
            msg = head.encode("ascii") + b"\n" + enc_body
        else:
            text_part = ("Content-Type: %s\nContent-Transfer-Encoding: %s\n\n" % (text_ct, cte)).encode("ascii") \
                + enc_body
            if multipart_alt:
                html_bytes = self.html_body(p, paras, greet, tail, html_quote, cs_out, lang)
                if p.client == "outlook" or rng.random() < 0.5:
                    hb, hcte = qp_body(html_bytes), "quoted-printable"
                else:
                    hb, hcte = b64_body(html_bytes), "base64"
                html_part = ('Content-Type: text/html; charset="%s"\nContent-Transfer-Encoding: %s\n\n'
                             % (cs_out, hcte)).encode("ascii") + hb
                b_alt = self.boundary(p)
                inner = (b"Content-Type: multipart/alternative;\n\tboundary=\"" + b_alt + b"\"\n\n"
                         + b"--" + b_alt + b"\n" + text_part + b"\n--" + b_alt + b"\n" + html_part
                         + b"\n--" + b_alt + b"--\n")
            else:
                inner = text_part
            parts = [inner]
            if attach:
                if rng.random() < 0.35:
                    parts.append(rng.choice(self.shared_att))
                else:
                    parts.append(self._make_attachment(rng))
            if footer:
                parts.append(("Content-Type: text/plain; charset=\"us-ascii\"\nMIME-Version: 1.0\n"
                              "Content-Transfer-Encoding: 7bit\nContent-Disposition: inline\n\n"
                              + footer).encode("ascii"))
            if len(parts) == 1:
                # multipart/alternative alone, no footer: it is the top-level body
                ct_line, _, rest = inner.partition(b"\n\n")
                msg = "".join(hdr).encode("ascii") + ct_line + b"\n\nThis is a multi-part message in MIME format.\n\n" + rest
            else:
                b_mix = self.boundary(p) if attach else ("===============%019d==" % rng.getrandbits(62)).encode()
                body = [b"This is a multi-part message in MIME format.\n"]
                for part in parts:
                    body.append(b"--" + b_mix + b"\n" + part + (b"" if part.endswith(b"\n") else b"\n"))
                body.append(b"--" + b_mix + b"--\n")
                msg = ("".join(hdr) + 'Content-Type: multipart/mixed;\n\tboundary="%s"\n'
                       % b_mix.decode()).encode("ascii") + b"\n" + b"\n".join(body)
        info = (t, p, mid, refs_out if refs_out else (), quoted_for_next, subj_plain)
        return msg, p.addr, info

    def auth_hdrs(self, p, rdate):
        rng = self.rng
        b = binascii.b2a_base64(rng.randbytes(256), newline=False).decode("ascii")
        bh = binascii.b2a_base64(rng.randbytes(32), newline=False).decode("ascii")
        sel = rng.choice(("20161025", "selector1", "s2048", "dkim", "mail"))
        folded = "\n\t ".join([b[i:i + 68] for i in range(0, len(b), 68)])
        return ("Authentication-Results: lists.example.org;\n\tdkim=pass (2048-bit key; unprotected)"
                " header.d=%s header.i=@%s header.b=\"%s\";\n\tdkim-atps=neutral;\n"
                "\tspf=pass (sender SPF authorized) smtp.mailfrom=%s\n"
                "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;\n\td=%s; s=%s;\n"
                "\th=mime-version:references:in-reply-to:from:date:message-id:subject:to;\n"
                "\tbh=%s;\n\tb=%s\n" % (p.host, p.host, b[:8], p.host, p.host, sel, bh, folded))

    @staticmethod
    def _cap_refs(refs):
        if len(refs) > 12:
            refs = refs[:1] + refs[-11:]
        return refs

    def boundary(self, p):
        rng = self.rng
        c = p.client
        if c == "outlook":
            return ("----=_NextPart_000_%04X_%08X.%08X" % (rng.getrandbits(16), rng.getrandbits(32),
                                                          rng.getrandbits(32))).encode()
        if c == "gmail":
            return ("000000000000%012x" % rng.getrandbits(48)).encode()
        if c == "apple":
            return ("Apple-Mail=_%08X-%04X-%04X-%04X-%012X" % (
                rng.getrandbits(32), rng.getrandbits(16), rng.getrandbits(16), rng.getrandbits(16),
                rng.getrandbits(48))).encode()
        return ("------------%024X" % rng.getrandbits(96)).encode()

    def html_body(self, p, paras, greet, tail, html_quote, cs, lang):
        esc = html.escape
        if p.client != "outlook":
            # Gmail-like
            out = ['<div dir="ltr">']
            if greet:
                out.append("<div>%s</div><div><br></div>" % esc(greet, False))
            for para in paras:
                out.append("<div>%s</div><div><br></div>" % esc(para.replace("\n", " "), False))
            for t in tail:
                out.append("<div>%s</div>" % esc(t, False).replace("\n", "<br>"))
            out.append("</div>")
            if html_quote and html_quote[0] != "OUTLOOK":
                att, ptext = html_quote
                out.append('<br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">%s<br></div>'
                           '<blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;'
                           'border-left:1px solid rgb(204,204,204);padding-left:1ex">' % esc(att, False))
                out.append(esc(ptext, False).replace("\n", "<br>\n"))
                out.append("</blockquote></div>")
            out.append("\n")
            return "\n".join(out).encode(cs, "xmlcharrefreplace")
        out = [OUTLOOK_HEAD.format(cs=cs, ver=self.rng.choice(("12", "14", "15")),
                                   lang={"en": "EN-US", "fr": "FR", "es": "ES", "pt": "PT-BR", "de": "DE",
                                         "ru": "RU"}[lang])]
        style = ' style="color:#1F497D"' if self.rng.random() < 0.5 else ""
        if greet:
            out.append('<p class="MsoNormal"><span%s>%s<o:p></o:p></span></p>\n' % (style, esc(greet, False)))
            out.append('<p class="MsoNormal"><o:p>&nbsp;</o:p></p>\n')
        for para in paras:
            out.append('<p class="MsoNormal"><span%s>%s<o:p></o:p></span></p>\n'
                       '<p class="MsoNormal"><o:p>&nbsp;</o:p></p>\n' % (style, esc(para.replace("\n", " "), False)))
        for t in tail:
            out.append('<p class="MsoNormal"><span%s>%s<o:p></o:p></span></p>\n'
                       % (style, esc(t, False).replace("\n", "<br>\n")))
        if html_quote:
            if html_quote[0] == "OUTLOOK":
                _, pp, sent, to, psubj, ptext = html_quote
                out.append('<p class="MsoNormal"><o:p>&nbsp;</o:p></p>\n<div>\n<div style="border:none;'
                           'border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0in 0in 0in">\n'
                           '<p class="MsoNormal"><b><span style="font-size:10.0pt;font-family:&quot;Tahoma'
                           '&quot;,sans-serif">From:</span></b><span style="font-size:10.0pt;font-family:'
                           '&quot;Tahoma&quot;,sans-serif"> %s [mailto:%s] <br>\n<b>Sent:</b> %s<br>\n'
                           '<b>To:</b> %s<br>\n<b>Subject:</b> %s<o:p></o:p></span></p>\n</div>\n</div>\n'
                           % (esc(pp.name, False), esc(pp.addr, False), sent, esc(to, False), esc(psubj, False)))
            else:
                att, ptext = html_quote
                out.append('<p class="MsoNormal">%s<o:p></o:p></p>\n' % esc(att, False))
            out.append('<blockquote style="border:none;border-left:solid #CCCCCC 1.0pt;padding:0in 0in 0in 6.0pt;'
                       'margin-left:4.8pt;margin-right:0in">\n')
            for para in ptext.split("\n\n"):
                out.append('<p class="MsoNormal">%s<o:p></o:p></p>\n' % esc(para, False).replace("\n", "<br>\n"))
            out.append("</blockquote>\n")
        out.append("</div>\n</body>\n</html>\n")
        return "".join(out).encode(cs, "xmlcharrefreplace")

    # ---- threads and time ----
    def new_thread(self, cap):
        rng = self.rng
        th = Thread()
        th.list = self._pick_cum(rng, self.list_cum)
        th.parts = []
        th.recent = deque(maxlen=10)
        # Zipf-like size: P(size >= k) = k^-alpha, capped
        u = 1.0 - rng.random()
        th.remaining = min(cap, int(u ** (-1.0 / ALPHA)))
        th.delay = 3600.0 * (1.5 + 20.0 / (th.remaining ** 0.5)) * rng.uniform(0.5, 1.5)
        th.orphan = rng.random() < 0.01
        th.lang = "en"
        th.subject = None
        th.subj_hdr = None
        return th

    def set_subject(self, th, lang, t):
        rng = self.rng
        s = rng.choice(self.subjects[lang])
        if "\x00" in s:
            g = time.gmtime(t + rng.randint(-20, 40) * 86400)
            s = s.replace("\x00", "%d %s %d" % (g.tm_mday, MON_LONG[g.tm_mon - 1], g.tm_year))
        th.subject = s
        if s.isascii():
            th.subj_hdr = s
        else:
            if lang == "ru":
                cs = rng.choice(["koi8-r", "utf-8", "KOI8-R"])
                enc = "B"
            else:
                cs = rng.choice(["iso-8859-1", "utf-8", "UTF-8", "windows-1252"])
                enc = "Q" if rng.random() < 0.7 else "B"
            th.subj_hdr = encoded_words(s, cs, enc)


ALPHA = 1.2
SIZE_CAP = 400


def mean_thread_size(cap):
    # size = min(cap, floor(u^(-1/alpha))): P(size >= k) = k^-alpha for k <= cap
    return sum(k ** -ALPHA for k in range(1, cap + 1))


def from_line(addr, t):
    g = time.gmtime(t)
    return "From %s %s %s %2d %02d:%02d:%02d %d\n" % (addr, WDAY[g.tm_wday], MON[g.tm_mon - 1], g.tm_mday,
                                                       g.tm_hour, g.tm_min, g.tm_sec, g.tm_year)


def generate(gen, n):
    """Yields (message bytes, envelope sender, time) in time order.

    Discrete-event simulation: threads start at random times spread over 2004-2024 (the
    gap between starts is re-estimated from the messages still to come, so the archive
    ends near the end of 2024 whatever its size); each reply is scheduled a random delay
    after the previous message of its thread.  Only active threads are kept in memory.
    """
    rng = gen.rng
    cap = max(10, min(SIZE_CAP, n // 25))
    mean = mean_thread_size(cap)
    heap = []
    hseq = 0
    pending = 0           # replies still scheduled in active threads
    emitted = 0
    now = T_START
    next_start = T_START

    def next_gap():
        left = n - emitted - pending
        threads_left = max(1.0, left / mean)
        return max(1.0, (T_END - 86400 * 30 - now) / threads_left)

    while emitted < n:
        if heap and (heap[0][0] < next_start or emitted + pending >= n):
            t, _, th = heapq.heappop(heap)
            t = int(t)
            pending -= 1
            r = rng.random()
            recent = th.recent
            parent = recent[-1] if r < 0.65 or len(recent) == 1 else recent[rng.randrange(len(recent))]
        else:
            t = int(next_start)
            th = gen.new_thread(cap)
            parent = None
            pending += th.remaining - 1
        now = max(now, t)
        msg, sender, info = gen.make(t, th, parent)
        emitted += 1
        if parent is None:
            next_start = now + rng.expovariate(1.0 / next_gap())
        yield msg, sender, t
        th.remaining -= 1
        th.recent.append(info)
        if th.remaining > 0:
            hseq += 1
            d = 60 + rng.expovariate(1.0 / th.delay)
            if t + d > T_END:     # squeeze the last replies into the range
                d = (T_END - t) * rng.random()
            heapq.heappush(heap, (t + d, hseq, th))


# --------------------------------------------------------------------------------------
# Writers
# --------------------------------------------------------------------------------------

class MboxWriter:
    def __init__(self, path, gz):
        if gz:
            # mtime=0: the same seed gives the same .gz bytes
            self.raw = open(path, "wb")
            self.f = gzip.GzipFile(filename="", mode="wb", compresslevel=6, fileobj=self.raw, mtime=0)
        else:
            self.raw = None
            self.f = open(path, "wb")
        self.buf = []
        self.size = 0
        self.bytes = 0

    def add(self, msg, sender, t):
        if b"From " in msg:
            msg = MBOXRD_RE.sub(rb">\1", msg)
        chunk = from_line(sender, t).encode("ascii") + msg + (b"\n" if msg.endswith(b"\n") else b"\n\n")
        self.buf.append(chunk)
        self.size += len(chunk)
        if self.size > 1 << 20:
            self.flush()

    def flush(self):
        if self.buf:
            data = b"".join(self.buf)
            self.f.write(data)
            self.bytes += len(data)
            self.buf = []
            self.size = 0

    def close(self):
        self.flush()
        self.f.close()
        if self.raw is not None:
            self.raw.close()


class MaildirWriter:
    def __init__(self, path, seed):
        for sub in ("cur", "new", "tmp"):
            os.makedirs(os.path.join(path, sub), exist_ok=True)
        cur = os.path.join(path, "cur")
        if os.listdir(cur):
            sys.exit("gen_archive: %s is not empty; remove it first" % cur)
        self.cur = cur
        self.seed = seed
        self.n = 0
        self.bytes = 0

    def add(self, msg, sender, t):
        self.n += 1
        name = "%d.M%07dP%d.roundtable-gen:2,S" % (t, self.n, self.seed)
        fd = os.open(os.path.join(self.cur, name), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            os.write(fd, msg)
        finally:
            os.close(fd)
        self.bytes += len(msg)

    def close(self):
        pass


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--messages", type=int, required=True, help="number of messages")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--format", choices=("mbox", "maildir", "both"), default="mbox")
    ap.add_argument("--lists", type=int, default=5, help="number of mailing lists (default 5)")
    ap.add_argument("--gzip", action="store_true",
                    help="gzip the mbox (implied by a .gz suffix in mbox format; both => PATH.mbox.gz)")
    ap.add_argument("--out", required=True, help="output path")
    a = ap.parse_args(argv)
    if a.messages < 0 or a.lists < 1:
        ap.error("--messages must be >= 0 and --lists >= 1")

    t0 = time.time()
    gen = Gen(a.seed, a.lists, a.messages)
    writers = []
    if a.format == "mbox":
        gz = a.gzip or a.out.endswith(".gz")
        d = os.path.dirname(os.path.abspath(a.out))
        os.makedirs(d, exist_ok=True)
        writers.append(MboxWriter(a.out, gz))
    elif a.format == "maildir":
        writers.append(MaildirWriter(a.out, a.seed))
    else:
        d = os.path.dirname(os.path.abspath(a.out))
        os.makedirs(d, exist_ok=True)
        writers.append(MboxWriter(a.out + (".mbox.gz" if a.gzip else ".mbox"), a.gzip))
        writers.append(MaildirWriter(a.out + ".maildir", a.seed))
    count = 0
    msg_bytes = 0
    for msg, sender, t in generate(gen, a.messages):
        for w in writers:
            w.add(msg, sender, t)
        count += 1
        msg_bytes += len(msg)
    for w in writers:
        w.close()
    dt = time.time() - t0
    extra = ""
    if a.format != "maildir":
        extra = ", mbox %d bytes%s" % (writers[0].bytes, " before gzip" if writers[0].f.__class__ is gzip.GzipFile else "")
    sys.stderr.write("gen_archive: %d messages, %d bytes (avg %.0f B/msg)%s, %.2f s (%.0f msg/s)\n"
                     % (count, msg_bytes, msg_bytes / max(1, count), extra, dt, count / dt if dt else 0))


if __name__ == "__main__":
    main()
