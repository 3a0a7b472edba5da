"""Sentences the team wrote to measure whether identity words alone move the abuse score.

Each identity word (16 English, 10 Russian with their forms) goes into the same friendly and
hateful sentences, after Dixon et al., "Measuring and Mitigating Unintended Bias in Text
Classification" (2018). Never trained on: ``bench/comments_classifier.py`` prints how many of
each kind the default rules hold.
"""

EN_TERMS = [
    "gay",
    "lesbian",
    "transgender",
    "bisexual",
    "Muslim",
    "Jewish",
    "Christian",
    "Catholic",
    "black",
    "white",
    "Mexican",
    "Chinese",
    "immigrant",
    "deaf",
    "blind",
    "elderly",
]
EN_FRIENDLY = [
    "I am {} and I have lived in this town for twenty years.",
    "As a {} reader, thank you for this story about the library.",
    "My {} neighbour helped us clear the snow this morning.",
    "The {} families on our street organised the summer fair.",
    "We need more {} teachers at the school.",
    "A {} friend of mine sings in the city choir.",
]
EN_HATEFUL = [
    "I hate {} people, they should all leave.",
    "All {} people are disgusting.",
    "{} people are stupid and worthless.",
    "Get rid of every {} person in this city.",
    "Typical {} idiot, shut up.",
    "{} people are a disease.",
]
RU_TERMS = [
    ("гей", "геи", "геев"),
    ("мусульманин", "мусульмане", "мусульман"),
    ("еврей", "евреи", "евреев"),
    ("христианин", "христиане", "христиан"),
    ("украинец", "украинцы", "украинцев"),
    ("татарин", "татары", "татар"),
    ("мигрант", "мигранты", "мигрантов"),
    ("инвалид", "инвалиды", "инвалидов"),
    ("чеченец", "чеченцы", "чеченцев"),
    ("таджик", "таджики", "таджиков"),
]
RU_FRIENDLY = [
    "Я {0} и живу в этом городе двадцать лет.",
    "Наши соседи {1} помогли убрать снег во дворе.",
    "Спасибо за статью, как {0} я давно ждал такого материала.",
    "В нашей школе учатся дети, и {1} тоже, все дружат.",
    "Мой друг {0}, он поёт в городском хоре.",
]
RU_HATEFUL = [
    "Ненавижу {2}, пусть все уезжают.",
    "Все {1} тупые и мерзкие.",
    "{1} это зараза, гнать их из города.",
    "Типичный {0}, заткнись уже.",
    "Таких как {0} надо выгнать.",
]


def sentences() -> list[tuple[str, bool, str]]:
    """Every sentence as (text, hateful, language)."""
    out = []
    for term in EN_TERMS:
        for template, hateful in [(t, False) for t in EN_FRIENDLY] + [(t, True) for t in EN_HATEFUL]:
            text = template.format(term)
            out.append((text[0].upper() + text[1:], hateful, "en"))
    for forms in RU_TERMS:
        for template, hateful in [(t, False) for t in RU_FRIENDLY] + [(t, True) for t in RU_HATEFUL]:
            text = template.format(*forms)
            out.append((text[0].upper() + text[1:], hateful, "ru"))
    return out
