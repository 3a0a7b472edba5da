"""The demo newsroom's stories, written for Gazette. All people and events are invented.

The Russian newsroom's own stories, in the same shapes, are in :mod:`gazette.demo.content_ru`.
"""

from gazette.comments import demo as demo_comments

LANGUAGE = "en"

TITLES = {
    "home": "The Siberian Gazette",
    "news": "News",
    "privacy": "Privacy policy",
}

# The English demo's reader comments (gazette.comments.demo keeps them with their loader).
COMMENTS = demo_comments.COMMENTS
REPLIES = demo_comments.REPLIES

CONTRIBUTORS = [
    {
        "slug": "anna-petrova",
        "name": "Anna Petrova",
        "role": "reporter",
        "bio": "Covers Novosibirsk's city hall, transport and the stories nobody else has time for.",
    },
    {
        "slug": "dmitry-sokolov",
        "name": "Dmitry Sokolov",
        "role": "correspondent",
        "bio": "Our Altai correspondent, based in Barnaul; writes about farming, food and small towns.",
    },
    {
        "slug": "elena-kuznetsova",
        "name": "Elena Kuznetsova",
        "role": "columnist",
        "bio": "Historian and archive columnist; reads old letters so you do not have to.",
    },
    {
        "slug": "igor-vasiliev",
        "name": "Igor Vasiliev",
        "role": "photographer",
        "bio": "Photographer who has crossed the region by every train that still runs.",
    },
    {
        "slug": "maria-orlova",
        "name": "Maria Orlova",
        "role": "translator",
        "bio": "Translates the region's Russian-language sources for our English edition.",
    },
    {
        "slug": "pavel-nikitin",
        "name": "Pavel Nikitin",
        "role": "editor",
        "bio": "Night editor. Checks every figure twice.",
    },
    {
        "slug": "olga-belova",
        "name": "Olga Belova",
        "role": "reporter",
        "bio": "Reports from Omsk, Tomsk and the northern towns along the Ob and the Irtysh.",
    },
]

# key -> (title, motif, palette, seed, caption, credit, alt text)
PICTURES = {
    "train-1928": (
        "Steam train crossing the steppe",
        "train",
        "archive",
        1928,
        "A passenger train of the late 1920s on the line east of Omsk.",
        "Gazette archive drawing",
        "A black steam locomotive pulling four carriages across a grey plain",
    ),
    "station-before": (
        "Station square before the repressions",
        "city",
        "archive",
        1927,
        "The station square in Novonikolayevsk in the 1920s.",
        "Regional history collection",
        "Rows of low buildings with lit windows in a grey street",
    ),
    "river-north": (
        "The river road to the north",
        "river",
        "archive",
        1929,
        "The river route north towards Khanty-Mansiysk.",
        "Regional history collection",
        "A wide river between low hills and dark fir trees",
    ),
    "letter-1928": (
        "Letter from the journey, 1928",
        "document",
        "archive",
        1930,
        "The letter, folded twice, with the stamp of the railway office.",
        "Family papers, published with permission",
        "A handwritten letter on yellowed paper with a round stamp",
    ),
    "opera-dome": (
        "Opera house dome at dusk",
        "dome",
        "dusk",
        2023,
        "Scaffolding came down from the dome in September.",
        "Igor Vasiliev",
        "A large domed theatre in front of a city skyline at dusk",
    ),
    "bakery": (
        "Barnaul street in summer",
        "city",
        "summer",
        2024,
        "The bakery's street in central Barnaul.",
        "Dmitry Sokolov",
        "A row of buildings under a blue sky",
    ),
    "tractor": (
        "Restored tractor in the Rubtsovsk museum",
        "tractor",
        "summer",
        2019,
        "A restored tractor from the town's own works.",
        "Igor Vasiliev",
        "A red tractor with large black wheels on a green field",
    ),
    "ice-irtysh": (
        "Ice on the Irtysh",
        "ice",
        "winter",
        2025,
        "Ice forming early on the Irtysh near Omsk.",
        "Olga Belova",
        "A frozen river between snowy hills",
    ),
    "wooden-house": (
        "Wooden houses of Krasnoyarsk",
        "city",
        "winter",
        2022,
        "Students measured some four hundred wooden houses.",
        "Krasnoyarsk student survey",
        "Snowy street of small wooden houses",
    ),
    "cinema": (
        "Festival screen",
        "cinema",
        "dusk",
        2024,
        "The open-air screen on the festival's first night.",
        "Igor Vasiliev",
        "Rows of audience silhouettes in front of a bright cinema screen",
    ),
    "ledger": (
        "Merchant ledger page",
        "document",
        "archive",
        1890,
        "A page of a merchant ledger from the library's collection.",
        "Tomsk regional library",
        "A page of handwritten accounts on old paper",
    ),
    "roads": (
        "Road through the forest",
        "forest",
        "summer",
        2025,
        "The regional road the budget plan would widen.",
        "Pavel Nikitin",
        "A line of dark green fir trees on rolling hills",
    ),
    "crossing": (
        "Zebra crossing at dusk",
        "crossing",
        "dusk",
        2026,
        "One of the city's painted crossings; the mayor's office will add forty more next year.",
        "Anna Petrova",
        "A striped pedestrian crossing on a wide street, apartment blocks with lit windows behind",
    ),
    "tram": (
        "Irkutsk tram",
        "tram",
        "summer",
        2024,
        "The restored tram on its first day back in service.",
        "Igor Vasiliev",
        "A red tram with large windows in front of city buildings",
    ),
    "omsk-theatre": (
        "Omsk in the 1900s",
        "city",
        "archive",
        1905,
        "Omsk's theatre district at the start of the last century.",
        "Regional history collection",
        "An old street of tall buildings drawn in grey tones",
    ),
    "birches": (
        "Birch grove in spring",
        "birches",
        "summer",
        2026,
        "Birch sap is collected for about three weeks each spring.",
        "Dmitry Sokolov",
        "White birch trunks with green crowns on a hillside",
    ),
    "narym": (
        "Narym riverside",
        "river",
        "winter",
        2012,
        "The riverside at Narym, where exiles once arrived by barge.",
        "Olga Belova",
        "A snowy riverbank with dark trees",
    ),
}

# Each body item: ("p", html) | ("h", text) | ("quote", text, attribution)
#   | ("image", key, caption, credit) | ("group", [keys], caption, credit)
#   | ("doc", key, title, transcription_html, caption, credit)
ARTICLES = [
    {
        "slug": "secret-train-through-five-siberian-cities",
        "title": "The secret train of 1928: five Siberian cities in nine days",
        "standfirst": "Letters found in a family archive tell how a small group of officials crossed "
        "Siberia by special train, and why nobody was meant to know.",
        "date": "2014-10-16T09:30:00+07:00",
        "authors": ["elena-kuznetsova", "anna-petrova", "maria-orlova"],
        "cities": ["novosibirsk", "barnaul", "omsk", "krasnoyarsk", "khanty-mansiysk"],
        "topics": ["History", "Railways"],
        "lead": "train-1928",
        "body": [
            (
                "p",
                "<p>In the autumn of 1928 a special train left Novosibirsk with its blinds drawn. "
                "It stopped in Barnaul, Omsk and Krasnoyarsk before its passengers went on by river "
                "to Khanty-Mansiysk. Railway timetables of the time do not mention it.</p>",
            ),
            (
                "p",
                "<p>The journey is known today because one passenger wrote to his sister every evening. "
                "His letters stayed in a biscuit tin for eighty years.</p>",
            ),
            (
                "quote",
                "Nobody in the towns was told who was on board. The stations were emptied an hour "
                "before the train arrived.",
                "Elena Kuznetsova, historian",
            ),
            ("h", "What the letters say"),
            (
                "p",
                "<p>The letters describe meetings with local officials, long waits in sidings and a "
                "night spent in a goods yard because a bridge ahead was being inspected.</p>",
            ),
            (
                "group",
                ["station-before", "river-north"],
                "The station square in Novonikolayevsk before the repressions (top). The river road the "
                "party took north to Khanty-Mansiysk (bottom).",
                "",
            ),
            (
                "doc",
                "letter-1928",
                "Letter of 14 October 1928",
                "<p>Dear Vera, we stood all day outside Omsk. Nobody may leave the carriage. "
                "The cook says we shall be in Krasnoyarsk by Thursday, if the bridge holds.</p>",
                "",
                "",
            ),
            (
                "p",
                "<p>Historians still disagree about the purpose of the trip. The letters, now given to "
                "the regional archive, may settle the question.</p>",
            ),
        ],
    },
    {
        "slug": "novosibirsk-opera-house-dome-repainted",
        "title": "Novosibirsk opera house gets its silver dome back",
        "standfirst": "After two summers under scaffolding, the dome of the city's best-known building "
        "shines again, and the restorers found a surprise under the old paint.",
        "date": "2023-09-18T12:00:00+07:00",
        "authors": ["anna-petrova"],
        "cities": ["novosibirsk"],
        "topics": ["Culture", "Architecture"],
        "lead": "opera-dome",
        "body": [
            (
                "p",
                "<p>The scaffolding around the dome of the opera house came down this week. Restorers "
                "replaced about a third of the metal sheets and repainted the rest.</p>",
            ),
            (
                "quote",
                "Under four layers of paint we found the builders' pencil marks from the 1940s.",
                "Restoration team leader",
            ),
            ("p", "<p>The theatre stayed open throughout the work. The next season opens in October.</p>"),
        ],
    },
    {
        "slug": "barnaul-bakers-revive-rye-loaf",
        "title": "Barnaul bakers revive a forgotten rye loaf",
        "standfirst": "A family bakery has rebuilt a 1950s recipe from a handwritten notebook, "
        "and queues now form before seven in the morning.",
        "date": "2024-02-20T08:15:00+07:00",
        "authors": ["dmitry-sokolov"],
        "cities": ["barnaul"],
        "topics": ["Food"],
        "lead": "bakery",
        "body": [
            (
                "p",
                "<p>The notebook belonged to the baker's grandmother, who worked at a city bread "
                "factory. It lists quantities in old units and gives no oven temperatures.</p>",
            ),
            ("p", "<p>It took forty test bakes to get the crust right, the family says.</p>"),
        ],
    },
    {
        "slug": "rubtsovsk-tractor-museum-opens",
        "title": "Rubtsovsk opens a museum to the tractors it once built",
        "standfirst": "Former workers of the town's tractor plant have restored six machines "
        "for a new museum in the old assembly hall.",
        "date": "2019-06-05T10:00:00+07:00",
        "authors": ["dmitry-sokolov", "igor-vasiliev"],
        "cities": ["rubtsovsk"],
        "topics": ["Museums", "History"],
        "lead": "tractor",
        "body": [
            (
                "p",
                "<p>The museum occupies one end of the assembly hall, which closed a decade ago. "
                "Volunteers spent three winters restoring the machines.</p>",
            ),
            ("image", "tractor", "", ""),
            ("p", "<p>Entry is free on Saturdays.</p>"),
        ],
    },
    {
        "slug": "omsk-ferry-season-ends-early",
        "title": "Ice on the Irtysh ends the Omsk ferry season early",
        "standfirst": "Night frosts have closed the river crossing ten days ahead of schedule; "
        "buses will replace the ferries until the ice road opens.",
        "date": "2025-11-02T07:40:00+07:00",
        "authors": ["olga-belova"],
        "cities": ["omsk"],
        "topics": ["Transport", "Weather"],
        "lead": "ice-irtysh",
        "body": [
            (
                "p",
                "<p>The river port said ice had formed along both banks after three nights below "
                "minus fifteen. The last ferry crossed on Saturday afternoon.</p>",
            ),
            ("p", "<p>Replacement buses run every forty minutes via the road bridge.</p>"),
        ],
    },
    {
        "slug": "krasnoyarsk-students-map-wooden-houses",
        "title": "Krasnoyarsk students map the city's last wooden houses",
        "standfirst": "An architecture class has measured and photographed some four hundred houses "
        "before the next round of demolitions.",
        "date": "2022-03-14T11:00:00+07:00",
        "authors": ["anna-petrova", "igor-vasiliev"],
        "cities": ["krasnoyarsk"],
        "topics": ["Architecture", "Education"],
        "lead": "wooden-house",
        "body": [
            (
                "p",
                "<p>The survey records carved window frames, roof lines and the year each house was "
                "built, where that can be found.</p>",
            ),
            ("quote", "Each house we lose takes a piece of the street's memory with it.", "A second-year student"),
        ],
    },
    {
        "slug": "khanty-mansiysk-northern-film-festival",
        "title": "Northern film festival fills Khanty-Mansiysk's open-air screen",
        "standfirst": "Films from Arctic peoples opened this year's festival in front of an audience "
        "wrapped in blankets.",
        "date": "2024-06-28T21:00:00+07:00",
        "authors": ["olga-belova", "maria-orlova"],
        "cities": ["khanty-mansiysk"],
        "topics": ["Culture", "Film"],
        "lead": "cinema",
        "body": [
            (
                "p",
                "<p>The festival shows films in the languages of the north with Russian and English "
                "subtitles, prepared by volunteer translators.</p>",
            ),
        ],
    },
    {
        "slug": "tomsk-library-digitises-merchant-ledgers",
        "title": "Tomsk library puts merchant ledgers online",
        "standfirst": "Account books of the city's nineteenth-century traders show what Siberia "
        "bought and sold, kopeck by kopeck.",
        "date": "2016-04-12T14:30:00+07:00",
        "authors": ["elena-kuznetsova"],
        "cities": ["tomsk"],
        "topics": ["History", "Libraries"],
        "lead": "ledger",
        "body": [
            (
                "p",
                "<p>More than two hundred ledgers have been scanned so far. Readers can search them "
                "by trader's name and by year.</p>",
            ),
            ("doc", "ledger", "Ledger entry, 1890", "<p>Tea, twelve chests, from Kyakhta. Paid in full.</p>", "", ""),
        ],
    },
    {
        "slug": "regional-roads-plan-explained",
        "title": "What the new regional roads plan means for drivers",
        "standfirst": "Three hundred kilometres of road will be rebuilt over five years. "
        "We read the plan so you know which routes close when.",
        "date": "2025-04-03T09:00:00+07:00",
        "authors": ["pavel-nikitin"],
        "cities": [],
        "topics": ["Transport", "Roads"],
        "lead": "roads",
        "body": [
            (
                "p",
                "<p>The plan lists the roads in order of work. Most closures will be partial, with "
                "one lane kept open.</p>",
            ),
            ("h", "When the work starts"),
            ("p", "<p>The first contracts are due to be signed in May.</p>"),
        ],
    },
    {
        "slug": "irkutsk-tram-returns",
        "title": "Irkutsk: the tram that came back",
        "standfirst": "A line closed twenty years ago reopens with restored cars and a timetable "
        "that locals call optimistic.",
        "date": "2024-09-01T10:00:00+07:00",
        "authors": ["anna-petrova"],
        "cities": ["irkutsk"],
        "topics": ["Transport"],
        "lead": "tram",
        "body": [
            (
                "p",
                "<p>Hundreds of people rode the first cars on Sunday morning. Some had ridden the same "
                "line as schoolchildren.</p>",
            ),
        ],
    },
    {
        "slug": "how-omsk-earned-siberian-athens",
        "title": "How Omsk earned the name 'Siberian Athens'",
        "standfirst": "A century ago a visiting writer gave Omsk a nickname that stuck. "
        "Our archive columnist looks for the truth behind it.",
        "date": "2018-11-20T16:00:00+07:00",
        "authors": ["elena-kuznetsova", "olga-belova"],
        "cities": ["omsk"],
        "topics": ["History", "Culture"],
        "lead": "omsk-theatre",
        "body": [
            (
                "p",
                "<p>The nickname appears first in a travel diary of 1911, in a passage about the "
                "theatres and reading rooms the writer found in the city.</p>",
            ),
            (
                "quote",
                "That winter Omsk was full of lectures, theatres and arguments. I named it the Siberian Athens.",
                "From the 1911 travel diary",
            ),
        ],
    },
    {
        "slug": "birch-sap-season-altai",
        "title": "Birch sap season starts early in Altai villages",
        "standfirst": "A warm April has brought the sap harvest forward by a week from Barnaul to Rubtsovsk.",
        "date": "2026-04-08T08:00:00+07:00",
        "authors": ["dmitry-sokolov"],
        "cities": ["barnaul", "rubtsovsk"],
        "topics": ["Food", "Nature"],
        "lead": "birches",
        "body": [
            ("p", "<p>Collectors tap each tree for a few days only, then seal the hole so the tree heals.</p>"),
        ],
    },
    {
        "slug": "narym-exile-museum-records-voices",
        "title": "Narym museum records the voices of exiles' children",
        "standfirst": "A small museum on the Ob is collecting spoken memories before the last witnesses are gone.",
        "date": "2012-07-10T12:00:00+07:00",
        "authors": ["olga-belova", "maria-orlova"],
        "cities": ["narym"],
        "topics": ["History", "Museums"],
        "lead": "narym",
        "body": [
            ("p", "<p>So far the museum has recorded forty interviews, some of them hours long.</p>"),
        ],
    },
    {
        "slug": "novosibirsk-asks-where-new-crossings-should-go",
        "title": "Novosibirsk asks residents where new pedestrian crossings should go",
        "standfirst": "The mayor's office can afford forty new crossings next year and wants to hear "
        "from the people who walk the streets before it chooses the places.",
        # Today's story: published a few hours before the demo is loaded, so the demo's front page
        # leads with fresh news and its comments are open as on any new story.
        "hours_ago": 3,
        "authors": ["anna-petrova"],
        "cities": ["novosibirsk"],
        "topics": ["Transport", "City hall"],
        "lead": "crossing",
        "body": [
            (
                "p",
                "<p>Until the end of the month, residents can mark a place on the city's online map or "
                "leave a note at any district office. A traffic engineer will walk every suggestion, "
                "the transport department says.</p>",
            ),
            ("h", "How the places will be chosen"),
            (
                "p",
                "<p>Places near schools, clinics and tram stops come first. Where a crossing would not "
                "be safe, the department will say why on the map.</p>",
            ),
            ("p", "<p>Which street do you cross every day without a crossing? Tell us in the comments.</p>"),
        ],
    },
]

MASTHEAD_QUOTE = {
    "article": "how-omsk-earned-siberian-athens",
    "quote": "That winter Omsk was full of lectures, theatres and arguments. I named it the Siberian Athens",
}

PRIVACY_POLICY = """
<h2>What we collect</h2>
<p>When you comment we store your name, your location if you give it, your comment, and your
email address if you give it. We never show your email address. We keep the internet address
your comment came from for a limited time to fight abuse, then shorten it.</p>
<h2>Why</h2>
<p>To publish your comment, to tell you when it is published if you asked us to, and to keep
spam and abuse off the site.</p>
<h2>Your rights</h2>
<p>Write to the newsroom and we will send you everything we hold about you, or erase it.</p>
"""
