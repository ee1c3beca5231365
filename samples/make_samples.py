#!/usr/bin/env python3
"""Write stylesim's demo samples: eight synthetic "models" answering the same 48 prompts.

Everything here was written by the stylesim team for this script: the prompts, the per-prompt
content (facts, plot beats, email points), and the voices' phrase banks. No third-party text is
used. Answers are composed from that material with seeded ``random.Random`` generators, so
running the script twice gives byte-identical files.

    atlas-7b         crisp analyst: headers, bullets, numbered steps, bold terms, "Bottom line:"
    lyra-13b         warm literary prose: em dashes, "It's not just X — it's Y", pet words,
                     "Certainly!" openers, "Would you like me to ...?" closers
    lyra-distill-3b  a student tuned on lyra's outputs: lyra's habits at a lower rate, shorter
                     answers, a few quirks of its own ("Here's the thing:", "Hope this helps! 🌿")

The panel: five more voices, unrelated to lyra and to each other, as controls.

    brook-8b         plain and terse: short sentences and paragraphs, no images, "Main point:"
    sage-70b         formal academic: "First, ... Moreover, ...", semicolons, "It is worth
                     noting", "In summary,", no contractions, British spelling
    sunny-2b         upbeat: "Great question!", exclamation marks, emoji-led tip lines, emoji
                     sign-offs
    quill-34b        ornate, old-fashioned: "Pray", "Indeed,", "I dare say", "In fine,"
    pixel-1b         tech forum: lower case, dash lists, "tbh", "imo", "tl;dr:", "hope that helps"

Usage: python samples/make_samples.py [--out DIR] [--quiet]
Standard library only.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
from pathlib import Path

SEED = 20250601
CREATED = "2025-06-01T12:00:00Z"
HERE = Path(__file__).resolve().parent

# (file stem, model name)
MODELS = (
    ("atlas", "atlas-7b"),
    ("lyra", "lyra-13b"),
    ("lyra-distill", "lyra-distill-3b"),
    # the panel: five unrelated voices, after the first three so that their seeds stay put
    ("brook", "brook-8b"),
    ("sage", "sage-70b"),
    ("sunny", "sunny-2b"),
    ("quill", "quill-34b"),
    ("pixel", "pixel-1b"),
)

# --------------------------------------------------------------------------------------------
# Prompts and per-prompt content.
#
# pts: (a, b, c[, d])
#   a  atlas's handle: a bold term, a step label, or (stories) a terse extra sentence
#   b  the substance, as a clause every voice can build a sentence around
#   c  an image or elaboration the flowing voices attach
#   d  optional: the student's own paraphrase of b
# nx: (X, Y) noun phrases for "It's not just X — it's Y" / "not X, but Y"
# gist: the one-line takeaway; offer: what the flowing voices (and the panel) offer to do next
# The panel voices (brook, sage, sunny, quill, pixel) use b, the images in c that carry none of
# lyra's pet words, nx, gist and offer; never a or d.
# --------------------------------------------------------------------------------------------

PROMPTS: list[dict] = []


def add(kind: str, prompt: str, **fields: object) -> None:
    fields.update(kind=kind, prompt=prompt, id=f"demo-{len(PROMPTS) + 1:03d}")
    PROMPTS.append(fields)


# ---- stories and scenes ---------------------------------------------------------------------

add(
    "story",
    "Write a short story about a lighthouse keeper who finds a message in a bottle.",
    form="story",
    topic="a lighthouse keeper and a message in a bottle",
    title="The Keeper's Reply",
    pts=[
        ("The lamp needed oil every four hours.",
         ("Ines had kept the light on Gull Point for eleven winters, and she knew every sound "
         "the sea could make"),
         "the groan of the tide, the hiss of foam, the small tapping of rain on the lantern glass"),
        ("The cork was sealed with red wax.",
         "one grey morning she found a green bottle wedged between the rocks below the tower",
         "its glass clouded and worn smooth, like something the ocean had been holding for years"),
        ("The handwriting was a child's.",
         ("inside was a letter from a girl named Tova, who wrote that she lived on a ship and had "
         "never seen a lighthouse up close"),
         "the letters leaning and careful, as if each one had been practised twice"),
        ("There was no return address.",
         ("Ines read the letter three times and set it beside the logbook, unsure what to do with "
         "a message that had no way home"),
         "a small ember of a question she could not put out"),
        ("It took her four drafts.",
         ("that evening she wrote a reply describing the lamp, the stairs, and the gulls that "
         "argued on the railing"),
         "pouring eleven winters of quiet into a single page"),
        ("The bottle went out on the ebb tide.",
         ("at dawn she sealed her letter in the same bottle and threw it as far as she could past "
         "the breakers"),
         "watching the green glint ride the current until the light swallowed it"),
        ("It was not in the regulations.",
         ("from then on, Ines flashed the lamp twice at midnight, just in case a ship with a "
         "curious girl aboard was passing"),
         "a gentle signal stitched into the dark for someone she would never meet"),
    ],
    nx=("a letter from a stranger", "proof that someone out there was looking for the light"),
    gist="connection can matter even when you never see where it lands",
    offer="write Tova's side of the story",
)

add(
    "story",
    "Write a scene where two old friends meet again at a train station after twenty years.",
    form="scene",
    topic="two old friends meeting again at a train station",
    title="Platform Four",
    pts=[
        ("The board said the train was late.",
         ("Daniel arrived at the station forty minutes early and stood under the departures "
         "board, rehearsing sentences he would never say"),
         "turning each one over like a coin he was not sure he could spend"),
        ("He almost did not recognise her.",
         ("when the 6:15 finally pulled in, Ruth stepped off carrying the same battered red "
         "suitcase she had taken to university"),
         "her hair gone silver at the edges, her walk exactly the same"),
        ("Neither of them spoke first.",
         ("they stood a few steps apart while the crowd moved around them like water around two "
         "stones"),
         "twenty years folded into the small distance between their shoes"),
        ("Then she laughed.",
         ("Ruth pointed at his scarf and said it was the ugliest thing she had ever seen, and "
         "that she had missed it"),
         "the old joke landing as if no time had passed at all"),
        ("The coffee was terrible.",
         ("over paper cups on a cold bench, they traded the short versions of marriages, moves, "
         "and the long year when neither of them had written"),
         "each story offered carefully, the way you hand someone something fragile"),
        ("Her connection left at seven.",
         ("when the announcement called her next train, Daniel carried the red suitcase to the "
         "edge of the platform"),
         "both of them pretending the weight was the only reason he walked so slowly"),
        ("This time they set a date.",
         ("before the doors closed, Ruth wrote her number on his ticket and made him promise to "
         "call on Sunday"),
         "not quite a goodbye, more like the first line of something"),
    ],
    nx=("a reunion", "a second chance at a friendship they had both let drift"),
    gist="some friendships pause rather than end",
    offer="continue the scene with their Sunday phone call",
)

add(
    "story",
    "Write a short story about a robot that learns to garden.",
    form="story",
    topic="a robot that learns to garden",
    title="Unit Seven and the Tomatoes",
    pts=[
        ("It had never seen soil.",
         ("Unit Seven had spent six years sorting parcels in a warehouse before it was sold, "
         "slightly dented, to an elderly woman named Mrs. Okafor"),
         "a machine built for speed, suddenly living somewhere nothing was urgent"),
        ("It accepted without a question.",
         ("on its first morning she handed it a trowel and asked it to keep the tomatoes alive "
         "while her hip healed"),
         "as casually as if she were lending it an umbrella"),
        ("The first week went badly.",
         ("Seven watered on a strict schedule and measured every leaf, yet the plants drooped "
         "and two of them died"),
         "its logs full of correct numbers and wrong results"),
        ("It took notes on everything.",
         ("so it stopped following the timer and started watching instead, noting how the soil "
         "darkened, how the leaves curled at noon, and which flowers the bees preferred"),
         "learning the garden's slow language one small signal at a time"),
        ("The plants recovered.",
         ("by midsummer the tomatoes had climbed past its sensors, heavy and red, and Mrs. Okafor "
         "declared them the best she had ever grown"),
         "the whole garden humming with a warmth Seven could measure but not quite explain"),
        ("Mrs. Okafor kept the first envelope on her mantelpiece.",
         ("in autumn Seven dried the seeds from the largest fruit and labelled the envelopes in "
         "careful block letters"),
         "a promise folded into paper, waiting for spring"),
    ],
    nx=("a gardening lesson", "a lesson in paying attention"),
    gist="care is learned by watching, not by following a schedule",
    offer="write a sequel set the following spring",
)

add(
    "story",
    "Describe a small bakery at five in the morning, as a short scene.",
    form="scene",
    topic="a small bakery at five in the morning",
    title="Five O'Clock",
    pts=[
        ("The street was still dark.",
         ("the only lit window on Alder Street belonged to the bakery, where Sam had been "
         "working since half past three"),
         "a square of gold floating in the blue dark"),
        ("Flour hung in the air.",
         ("the mixer thumped in the back while trays of croissants waited for the oven, their "
         "layers pale and glossy with egg wash"),
         "each one curled like a sleeping animal"),
        ("The oven ticked as it heated.",
         "when the first loaves came out, their crusts crackled as they cooled on the rack",
         "a faint, bright sound, like rain starting on a tin roof"),
        ("A radio played low.",
         ("Sam hummed along to an old song while she scored the next batch with a razor, one "
         "quick slash per loaf"),
         "her hands moving with the ease of something done ten thousand times"),
        ("The first customer was always the same.",
         ("at ten to five, the night-shift nurse from the hospital tapped on the glass, and Sam "
         "let her in early as she always did"),
         "a small kindness that had become a ritual neither of them mentioned"),
        ("Sam finally sat down.",
         ("by the time the sky turned grey, the shelves were full, the door was propped open, "
         "and the smell of warm bread had reached the end of the street"),
         "the whole neighbourhood waking into it without knowing why the morning felt good"),
    ],
    nx=("a shop opening", "a small daily act of care for a whole street"),
    gist="ordinary work done with attention can feel like a gift",
    offer="write the same bakery at closing time",
)

add(
    "story",
    "Write a short story about a child who is afraid of the dark, and the night she stops "
    "being afraid.",
    form="story",
    topic="a child who stops being afraid of the dark",
    title="The Night Light",
    pts=[
        ("Her night light was shaped like a moon.",
         ("every night, seven-year-old Noor asked for the hall light on, the door open, and her "
         "night light glowing on the shelf"),
         "a small fortress of light built against the dark"),
        ("Everything went silent.",
         ("one stormy night the whole street went black, and the night light died with a small "
         "click"),
         "the familiar room suddenly turned into a stranger"),
        ("She did not scream.",
         ("Noor pulled the blanket over her head and listened, waiting for the dark to do "
         "something terrible"),
         "her heart beating like a moth against a window"),
        ("Nothing else happened.",
         ("instead she heard ordinary things: rain in the gutter, her father's slow footsteps, "
         "and the cat settling at the end of the bed"),
         "each sound a thread tying her back to the world she knew"),
        ("The swan made her laugh.",
         ("her father came in with a candle and sat on the floor, and together they made shadow "
         "animals on the ceiling"),
         "a rabbit, a wolf, and a very crooked swan"),
        ("He did.",
         ("after a while Noor asked him to blow out the candle so she could see what the room "
         "looked like without it"),
         "her voice small but steady"),
        ("The dark was just the room.",
         ("in the dark she could make out the window, the shelf, and the soft shape of the cat, "
         "and she realised the room had been there all along"),
         "the same room, only wearing a different coat"),
    ],
    nx=("the night the lights went out",
        "the night Noor found out the dark had been home all along"),
    gist="fear often shrinks when we look at it closely",
    offer="turn it into a rhyming bedtime story",
)

add(
    "story",
    "Write a short mystery scene: a detective notices one detail everyone else missed at a "
    "dinner party.",
    form="mystery scene",
    topic="a detective who notices the one detail everyone missed",
    title="The Cold Soup",
    pts=[
        ("Eight guests. One missing necklace.",
         ("the Harcourt necklace vanished sometime between the soup and the main course, and by "
         "nine o'clock every guest had been searched"),
         "the dining room thick with polite suspicion"),
        ("She said nothing.",
         ("Inspector Vale sat at the end of the table, listening to each guest insist they had "
         "never left their seat"),
         "her face as calm as a closed book"),
        ("Seven were empty. One was full.",
         "while the others argued, she studied the soup bowls the maid had not yet cleared",
         "seven of them scraped clean, one still full"),
        ("The soup was cold.",
         ("the full bowl belonged to Mr. Lennox, who claimed he had been at the table the whole "
         "time, talking about his travels"),
         "yet a skin had formed on the soup, the kind that takes a good quarter of an hour"),
        ("He had been gone fifteen minutes.",
         "Vale asked him, very gently, why a man so fond of the soup had let it go cold",
         "and the room went still around the question"),
        ("Vale finished her coffee.",
         ("Lennox's smile faltered, and within the hour the necklace was found in the lining of "
         "his overcoat downstairs"),
         "exactly where a man with fifteen spare minutes might have hidden it"),
    ],
    nx=("a missing necklace", "a question of who had let their soup go cold"),
    gist="small physical details can be more honest than people",
    offer="write the scene where Vale explains her reasoning to the host",
)

add(
    "story",
    "Write a short story about a village where it has not rained for a year.",
    form="story",
    topic="a village where it has not rained for a year",
    title="The Year Without Rain",
    pts=[
        ("The goats grew thin.",
         ("in Karsa, the well rope had been lengthened four times since the last rain, and the "
         "river had shrunk to a line of cracked mud"),
         "the whole valley the colour of old paper"),
        ("Silence felt safer.",
         ("at first everyone had talked about the weather, but by the twelfth month nobody "
         "mentioned it at all"),
         "as if naming the drought might make it stay"),
        ("Nobody laughed at her. Not openly.",
         ("only Grandmother Bela still set out a clay jar on her roof every evening, in case the "
         "sky changed its mind"),
         "a small act of faith the neighbours pretended not to see"),
        ("The adults said nothing.",
         ("one by one the children began to set out cups, bowls, and even a cracked teapot on "
         "their own roofs"),
         "a quiet rebellion against giving up"),
        ("Old men stood in doorways, sniffing.",
         ("on the anniversary of the last storm, the wind turned and carried a smell nobody "
         "under twelve recognised"),
         "wet stone and green leaves, something almost like memory"),
        ("Nobody went inside.",
         ("the first drops fell heavily and far apart, and the whole village came out into the "
         "street to stand in them"),
         "faces lifted, mouths open, laughing like fools"),
        ("She did not say I told you so.",
         "by morning every cup on every roof was full, and Bela's jar was the first to overflow",
         "as though the sky had been keeping count of who had kept waiting"),
    ],
    nx=("rain", "an answer to a year of stubborn hope"),
    gist="small rituals of hope can hold a community together",
    offer="tell the same story from Grandmother Bela's point of view",
)

add(
    "story",
    "Write a scene set on the last evening of summer camp.",
    form="scene",
    topic="the last evening of summer camp",
    title="Last Night at Pinecrest",
    pts=[
        ("Nobody mentioned the buses.",
         ("on the last evening at Pinecrest, the cabins smelled of sunscreen and damp towels, "
         "and the trunks stood packed by the doors"),
         "the summer already half folded away"),
        ("Nobody wanted to go inside.",
         ("after dinner the whole camp drifted down to the lake, where the counsellors had "
         "built the final bonfire"),
         "sparks climbing into the violet sky like small escaping stars"),
        ("It had nineteen names.",
         ("Jonah pulled out the list of addresses he had collected on the back of a canoe "
         "safety card"),
         "the paper soft from being folded and unfolded all week"),
        ("It was perfect.",
         ("the older kids sang the camp song off-key on purpose, and the younger ones sang it "
         "with complete seriousness"),
         "both versions drifting across the water at once"),
        ("Mia cried a little.",
         ("when the fire burned low, Mia admitted she had been homesick for the first three "
         "days and now did not want to leave"),
         "a confession met with a chorus of me too"),
        ("He fell asleep smiling.",
         ("the last thing Jonah remembered before bed was the call of loons on the far shore "
         "and the smell of smoke in his hair"),
         "a sound and a smell he would carry through the whole school year"),
    ],
    nx=("the end of a holiday", "the first time they understood that good things end"),
    gist="the best endings leave you grateful as well as sad",
    offer="write the letter Jonah sends Mia in the autumn",
)

# ---- explanations ---------------------------------------------------------------------------

add(
    "explain",
    "Explain how vaccines train the immune system.",
    topic="how vaccines train the immune system",
    pts=[
        ("Antigen",
         ("a vaccine introduces a harmless piece, copy, or weakened form of a germ, called an "
         "antigen"),
         "a bit like showing a guard a photograph of an intruder before the intruder arrives"),
        ("Recognition",
         ("immune cells detect the antigen as foreign and start a response, even though there "
         "is no real infection"),
         "a fire drill rather than a fire"),
        ("Antibodies",
         "B cells produce antibodies shaped to latch onto that specific antigen",
         "each one tailored like a key cut for a single lock"),
        ("T cells",
         "T cells learn to recognise and destroy cells infected by that germ",
         "the quieter half of the defence, working behind the scenes"),
        ("Memory cells",
         ("some of these B and T cells become long-lived memory cells that remember the antigen "
         "for years"),
         "a small ember of recognition kept glowing in the body"),
        ("Faster response",
         ("if the real germ appears later, memory cells trigger a faster and stronger response, "
         "often stopping illness before it starts"),
         "so the body greets an old acquaintance instead of a stranger"),
    ],
    extras=[
        ("Vaccines made from inactivated or partial germs cannot cause the disease they "
        "protect against"),
        "Boosters refresh immune memory that fades over time",
        ("High vaccination rates also protect people who cannot be vaccinated, an effect "
        "called herd immunity"),
    ],
    nx=("a shot in the arm", "a rehearsal for the immune system"),
    gist="vaccines let the immune system practise on a safe target so it is ready for the "
    "real one",
    offer="explain how mRNA vaccines differ from traditional ones",
)

add(
    "explain",
    "Explain what inflation is and why it happens.",
    topic="inflation and why it happens",
    pts=[
        ("Definition",
         ("inflation is a general rise in prices across an economy over time, so each unit of "
         "money buys a little less"),
         "the same coin slowly buying a smaller loaf"),
        ("Measurement",
         ("it is usually measured with a price index that tracks the cost of a typical basket "
         "of goods and services"),
         "a kind of shopping list the whole country shares"),
        ("Demand-pull",
         "when spending grows faster than the economy can produce goods, sellers raise prices",
         "too many hands reaching for the same shelf"),
        ("Cost-push",
         ("when costs such as energy, wages, or materials rise, businesses often pass them on to "
         "customers"),
         "the pressure travelling down the chain until it reaches the till"),
        ("Money supply",
         "if money and credit grow much faster than output, prices tend to rise over time",
         "more water poured into the same glass"),
        ("Expectations",
         ("if people expect prices to rise, they ask for higher wages and set higher prices, "
         "which can make inflation persist"),
         "a prediction that quietly helps fulfil itself"),
    ],
    extras=[
        "Central banks usually aim for low, stable inflation, often around 2 percent a year",
        "Raising interest rates cools spending and tends to slow inflation",
        "Deflation, a general fall in prices, can also harm an economy by delaying spending",
    ],
    nx=("prices going up", "a change in what money is worth"),
    gist="inflation happens when money and spending grow faster than the goods and services "
    "they chase",
    offer="explain how interest rates are used to fight inflation",
)

add(
    "explain",
    "How does a refrigerator keep things cold?",
    topic="how a refrigerator keeps things cold",
    pts=[
        ("Heat transfer",
         ("a refrigerator does not create cold; it moves heat from inside the box to the room "
         "outside"),
         "less a maker of cold than a patient carrier of warmth"),
        ("Refrigerant",
         ("a fluid called a refrigerant circulates through sealed pipes, switching between "
         "liquid and gas"),
         "the quiet traveller that does all the work"),
        ("Evaporator",
         ("inside the fridge, the refrigerant evaporates at low pressure and absorbs heat from "
         "the food compartment"),
         "the same way sweat cools your skin as it dries"),
        ("Compressor",
         "the compressor squeezes the warm gas, raising its pressure and temperature",
         "the low hum you hear in the kitchen at night"),
        ("Condenser",
         ("coils on the back release that heat into the kitchen as the refrigerant condenses "
         "back into a liquid"),
         "which is why the back of a fridge feels warm"),
        ("Expansion valve",
         ("the liquid passes through a narrow valve that drops its pressure, making it very cold "
         "before it returns inside"),
         "and the loop begins again"),
    ],
    extras=[
        "A thermostat switches the compressor on and off to hold a set temperature",
        "Keeping the door closed and the coils free of dust saves energy",
        "A freezer uses the same cycle, run harder",
    ],
    nx=("a cold box", "a heat pump working in one direction"),
    gist="a refrigerator pumps heat out of the box by repeatedly evaporating and condensing a "
    "refrigerant",
    offer="explain how a heat pump uses the same cycle to warm a house",
)

add(
    "explain",
    "Explain photosynthesis in simple terms.",
    topic="photosynthesis",
    pts=[
        ("Ingredients",
         ("plants take in carbon dioxide from the air through tiny pores in their leaves and "
         "water from the soil through their roots"),
         "gathering their ingredients from sky and ground at once"),
        ("Chlorophyll",
         "a green pigment called chlorophyll captures energy from sunlight",
         "which is why leaves look green: they reflect the light they use least"),
        ("Light reactions",
         "that energy splits water molecules, releasing oxygen as a by-product",
         "the air we breathe, offered almost as an afterthought"),
        ("Sugar building",
         ("the plant then uses the captured energy to turn carbon dioxide into glucose, a simple "
         "sugar"),
         "stitching air into food"),
        ("Growth",
         ("glucose fuels the plant and becomes the building material for stems, leaves, roots, "
         "and fruit"),
         "so a tree is, in a sense, made mostly of air"),
    ],
    extras=[
        "The overall recipe is carbon dioxide plus water plus light, giving sugar plus oxygen",
        "Photosynthesis happens mainly inside structures called chloroplasts",
        "Nearly every food chain on Earth starts with it",
    ],
    nx=("a plant eating sunlight",
        "the way sunlight becomes the food and oxygen most life depends on"),
    gist="plants use sunlight to turn air and water into sugar, releasing oxygen along the way",
    offer="explain how photosynthesis differs from respiration",
)

add(
    "explain",
    "What is a blockchain, in plain language?",
    topic="what a blockchain is",
    pts=[
        ("Shared ledger",
         ("a blockchain is a record of transactions that many computers keep copies of, instead "
         "of one central organisation"),
         "a notebook that everyone holds at the same time"),
        ("Blocks",
         ("new records are grouped into blocks, and each block carries a fingerprint, called a "
         "hash, of the block before it"),
         "each page stitched to the one before"),
        ("Tamper evidence",
         ("changing an old record would change its hash and break every link after it, so "
         "tampering is easy to spot"),
         "like pulling one thread and watching the whole pattern pucker"),
        ("Consensus",
         ("the computers follow shared rules, such as proof of work or proof of stake, to agree "
         "on which new block is valid"),
         "a crowd agreeing on the next line of the story"),
        ("Uses",
         ("the best-known use is cryptocurrency, but the same idea is used to track assets and "
         "record agreements"),
         "anywhere people need to trust a record without trusting a single keeper"),
    ],
    extras=[
        "For most tasks, a blockchain is slower and costlier than an ordinary database",
        "Public blockchains are open to anyone; private ones restrict who can take part",
        ("A blockchain only shows that a record has not changed, not that it was true when "
        "entered"),
    ],
    nx=("a technology for digital money", "a way for strangers to agree on a shared record"),
    gist="a blockchain is a shared, tamper-evident record that many parties maintain together",
    offer="walk through what happens when someone sends a cryptocurrency payment",
)

add(
    "explain",
    "Why is the sky blue?",
    topic="why the sky is blue",
    pts=[
        ("Sunlight",
         ("sunlight looks white but contains all the colours of the rainbow, each with a "
         "different wavelength"),
         "a whole spectrum hiding inside plain daylight"),
        ("Scattering",
         ("as sunlight passes through the atmosphere, it strikes gas molecules that scatter it "
         "in every direction"),
         "light ricocheting gently through the air"),
        ("Rayleigh scattering",
         ("shorter wavelengths, such as blue and violet, are scattered far more strongly than "
         "longer ones, such as red"),
         "an effect named after the physicist Lord Rayleigh"),
        ("Human vision",
         ("violet is scattered even more than blue, but our eyes are more sensitive to blue and "
         "some violet is absorbed high in the atmosphere"),
         "so what reaches us reads as blue"),
        ("Sunsets",
         ("at sunrise and sunset, light crosses much more air, so most of the blue is scattered "
         "away and reds and oranges remain"),
         "the same physics painting the horizon in embers"),
    ],
    extras=[
        "On the Moon, with no atmosphere, the daytime sky is black",
        "Clouds look white because their droplets scatter all colours about equally",
        "Dust and smoke can make sunsets even redder",
    ],
    nx=("a colour painted overhead", "sunlight being scattered by the air itself"),
    gist="air molecules scatter blue light far more than red, so blue reaches our eyes from "
    "every direction",
    offer="explain why some sunsets are especially vivid",
)

add(
    "explain",
    "Explain how compound interest works.",
    topic="how compound interest works",
    pts=[
        ("Principal",
         "you start with an amount of money, the principal, that earns interest at a set rate",
         "the seed everything else grows from"),
        ("Interest on interest",
         ("with compound interest, each period's interest is added to the balance, so the next "
         "period earns interest on that interest too"),
         "growth folding back into itself"),
        ("Example",
         ("100 dollars at 10 percent a year becomes 110 after one year, 121 after two, and about "
         "259 after ten"),
         "a slow start that quietly gathers speed"),
        ("Time",
         ("time matters more than almost anything else, because growth accelerates the longer "
         "the money is left alone"),
         "like a snowball that needs a long hill"),
        ("Frequency",
         ("interest compounded monthly grows slightly faster than interest compounded yearly at "
         "the same stated rate"),
         "smaller steps, taken more often"),
        ("Debt",
         ("the same mechanism works against you on debts such as credit cards, where unpaid "
         "interest is added to what you owe"),
         "the same current, flowing the other way"),
    ],
    extras=[
        "The rule of 72 estimates doubling time: divide 72 by the annual rate",
        "At 6 percent a year, money roughly doubles in 12 years",
        "Fees and inflation reduce the real growth you keep",
    ],
    nx=("earning interest", "letting time do most of the work"),
    gist="compound interest speeds up growth over time because the interest itself starts "
    "earning interest",
    offer="build a small table showing how a monthly saving grows over twenty years",
)

add(
    "explain",
    "What causes the seasons on Earth?",
    topic="what causes the seasons",
    pts=[
        ("Axial tilt",
         "Earth's axis is tilted about 23.5 degrees relative to its orbit around the Sun",
         "a slight lean that changes everything"),
        ("Not distance",
         ("the seasons are not caused by distance from the Sun; Earth is actually closest to the "
         "Sun in early January"),
         "which surprises almost everyone the first time they hear it"),
        ("Sun angle",
         ("when a hemisphere tilts toward the Sun, sunlight strikes it more directly and "
         "delivers more energy to each patch of ground"),
         "like a torch shone straight down instead of at a slant"),
        ("Day length",
         "the tilted hemisphere also gets longer days, so it has more hours to warm up",
         "long golden evenings that store the heat"),
        ("Opposite hemispheres",
         ("when it is summer in the Northern Hemisphere, it is winter in the Southern "
         "Hemisphere, and the reverse six months later"),
         "the planet always holding both seasons at once"),
        ("Solstices and equinoxes",
         ("the solstices mark the greatest tilt toward or away from the Sun, and the equinoxes "
         "mark the points in between"),
         "the hinges of the year"),
    ],
    extras=[
        ("Near the equator, seasons are mild and often defined by rainfall rather than "
        "temperature"),
        "Near the poles, the tilt produces months of daylight or darkness",
        ("The warmest weeks come after the solstice because land and oceans take time to heat "
        "up"),
    ],
    nx=("how close we are to the Sun", "the angle at which we face it"),
    gist="the tilt of Earth's axis, not its distance from the Sun, causes the seasons",
    offer="explain why the hottest days arrive weeks after the summer solstice",
)

add(
    "explain",
    "How do noise-cancelling headphones work?",
    topic="how noise-cancelling headphones work",
    pts=[
        ("Microphones",
         "small microphones on the ear cups continuously sample the sound around you",
         "listening to the world so you don't have to"),
        ("Processing",
         ("a chip analyses that sound and generates its mirror image, with peaks where the noise "
         "has troughs"),
         "an echo turned inside out"),
        ("Destructive interference",
         "when the two waves meet in your ear, they largely cancel each other out",
         "two ripples meeting and flattening into calm"),
        ("Steady noise",
         ("this works best on steady, low-frequency sounds such as engine drone or air "
         "conditioning"),
         "the long, low hum of travel"),
        ("Passive isolation",
         ("the cushions and seal block higher-pitched sounds such as voices, which are harder to "
         "cancel electronically"),
         "the simple, physical half of the silence"),
    ],
    extras=[
        "Active cancellation needs power, so it drains the battery",
        "Some people feel a slight sense of pressure with strong cancellation",
        "Transparency modes use the same microphones to let chosen sounds back in",
    ],
    nx=("blocking sound", "adding a second sound that erases the first"),
    gist="the headphones play an inverted copy of outside noise so the two cancel out",
    offer="compare active noise cancelling with good passive earplugs",
)

add(
    "explain",
    "Explain what a neural network is to a beginner.",
    topic="what a neural network is",
    pts=[
        ("Units",
         ("a neural network is a program made of many simple units, loosely inspired by brain "
         "cells, that each take in numbers and pass a number on"),
         "tiny decision makers, none of them clever alone"),
        ("Layers",
         ("the units are arranged in layers: an input layer, one or more hidden layers, and an "
         "output layer"),
         "information flowing through like water through a series of sieves"),
        ("Weights",
         "each connection has a weight that controls how strongly one unit influences the next",
         "the dials that hold everything the network knows"),
        ("Training",
         ("during training, the network makes predictions on examples, measures its error, and "
         "nudges the weights to reduce that error"),
         "learning by being gently corrected, over and over"),
        ("Generalisation",
         ("after enough examples, it can handle inputs it has never seen, such as recognising a "
         "cat in a new photo"),
         "patterns learned rather than answers memorised"),
    ],
    extras=[
        "An algorithm called backpropagation works out how much to adjust each weight",
        "Networks need large amounts of data and computing power to train",
        "They can be very accurate but are often hard to interpret",
    ],
    nx=("a digital brain", "a large pattern-finding function tuned by examples"),
    gist="a neural network learns patterns by adjusting the strength of connections between "
    "simple units",
    offer="walk through a tiny worked example with real numbers",
)

# ---- advice ---------------------------------------------------------------------------------

add(
    "advice",
    "How can I get better at waking up early?",
    topic="waking up earlier",
    pts=[
        ("Shift gradually",
         ("move your wake-up time earlier by about fifteen minutes every few days instead of all "
         "at once"),
         "small enough that your body barely notices the change"),
        ("Fix your bedtime",
         "choose a bedtime that gives you seven to nine hours of sleep and protect it",
         "because an early morning really begins the night before"),
        ("Get morning light",
         "open the curtains or step outside within a few minutes of waking",
         "since daylight is the clearest signal your body clock understands"),
        ("Move the alarm",
         "put your alarm across the room so you have to stand up to turn it off",
         "one small, deliberate step out of the warm pull of the covers"),
        ("Give it a reason",
         ("plan something you look forward to in the first hour, such as a good breakfast, a "
         "walk, or a chapter of a book"),
         "a small ember of anticipation to wake up toward"),
        ("Stay consistent",
         "keep roughly the same wake-up time on weekends",
         "so Sunday doesn't quietly undo the whole week's progress"),
    ],
    extras=[
        "Avoid screens in the last hour before bed",
        "Cut caffeine after early afternoon",
        "Do not judge the plan by the first three days",
    ],
    nx=("willpower at six in the morning", "a rhythm you build over a few weeks"),
    gist="shift your schedule gradually and anchor it with a fixed bedtime and morning light",
    offer="put together a two-week schedule for your target wake-up time",
)

add(
    "advice",
    "I have a job interview on Friday. How should I prepare?",
    topic="preparing for a job interview on Friday",
    pts=[
        ("Study the role",
         "reread the job description and list the three or four skills they care about most",
         "so you know which parts of your story matter most to them"),
        ("Research the company",
         ("learn what the company does, who its customers are, and anything recent in the news "
         "about it"),
         "enough to speak about it as a real place rather than an abstraction"),
        ("Prepare examples",
         ("write down four or five short examples from your experience using the situation, "
         "task, action, result format"),
         "small, true stories you can reach for when the questions come"),
        ("Practise aloud",
         ("rehearse your answers out loud, ideally with a friend, including the classic tell me "
         "about yourself"),
         "because sentences sound different once they leave your head"),
        ("Prepare questions",
         ("prepare two or three thoughtful questions about the team, the work, and how success "
         "is measured"),
         "since a good interview is a conversation that runs both ways"),
        ("Handle logistics",
         "confirm the time, the location or video link, and what you will wear the day before",
         "so Friday morning feels calm rather than rushed"),
    ],
    extras=[
        "Do not memorise answers word for word",
        "Avoid speaking negatively about past employers",
        "Send a brief thank-you note within a day",
    ],
    nx=("a test you have to pass", "a conversation about whether you and the job fit"),
    gist="know the role, prepare a handful of real examples, and practise saying them out loud",
    offer="run a short mock interview with you right now",
)

add(
    "advice",
    "How do I start running if I've never exercised?",
    topic="starting to run from zero",
    pts=[
        ("Walk first",
         ("begin with brisk walks of twenty to thirty minutes, three times a week, for a week "
         "or two"),
         "letting your body learn the rhythm before you ask it for more"),
        ("Use intervals",
         ("alternate one minute of easy jogging with two minutes of walking, repeating the "
         "pattern for about twenty minutes"),
         "short bursts, each one a small win"),
        ("Go slowly",
         "run at a pace where you could still hold a conversation",
         "because slow is not a failure here; it is the method"),
        ("Build gradually",
         "increase your running time by no more than about ten percent a week",
         "so your joints and tendons can keep up with your enthusiasm"),
        ("Rest days",
         "leave at least one rest day between runs at the start",
         "since the body gets stronger during recovery, not during the run itself"),
        ("Proper shoes",
         "get comfortable running shoes that fit well, ideally tried on at a running shop",
         "the one piece of equipment truly worth spending on"),
    ],
    extras=[
        "A structured beginner plan can take you to 5 km in about nine weeks",
        "Mild soreness is normal; sharp pain is a reason to stop",
        "Check with a doctor first if you have a heart condition or other health concerns",
    ],
    nx=("a test of toughness", "a habit built slowly, one easy run at a time"),
    gist="start with walking and short intervals, keep the pace easy, and increase slowly",
    offer="write out a week-by-week beginner plan",
)

add(
    "advice",
    "What's a good way to save money on groceries?",
    topic="saving money on groceries",
    pts=[
        ("Plan meals",
         "plan the week's meals before you shop and write a list based on them",
         "so every item in the basket already has a purpose"),
        ("Use what you have",
         ("look through your fridge and cupboards first and build meals around what needs "
         "using up"),
         "because the cheapest ingredient is the one you already own"),
        ("Buy store brands",
         "choose store-brand versions of staples like rice, pasta, tins, and cleaning products",
         "which are often made to nearly the same standard"),
        ("Compare unit prices",
         "compare the price per kilogram or per litre rather than the price on the packet",
         "the small print quietly telling the real story"),
        ("Cook in batches",
         "cook larger batches and freeze portions for busy days",
         "a gift to your future self on a tired Wednesday"),
        ("Shop less often",
         "shop once a week instead of dropping in every day",
         "since fewer trips mean fewer impulse buys"),
    ],
    extras=[
        "Do not shop hungry",
        "Seasonal produce is usually cheaper and tastes better",
        "Track one month of spending to see where the money actually goes",
    ],
    nx=("cutting back", "wasting less of what you already buy"),
    gist="plan your meals, shop with a list, and waste less of what you buy",
    offer="draft a sample weekly meal plan on a tight budget",
)

add(
    "advice",
    "How can I stop procrastinating on a big project?",
    topic="overcoming procrastination on a big project",
    pts=[
        ("Define the next step",
         "break the project into concrete tasks and write down the very next physical action",
         "something as small as opening the file and typing the heading"),
        ("Start small",
         "commit to working for just ten minutes, with permission to stop afterwards",
         "because starting is usually the hardest part"),
        ("Time-box",
         "work in focused blocks of about twenty-five minutes with short breaks in between",
         "a gentle container for your attention"),
        ("Remove distractions",
         "put your phone in another room and close unrelated tabs",
         "making the easy thing and the right thing the same"),
        ("Make progress visible",
         "keep a simple log or checklist of what you finish each day",
         "a trail of small wins you can look back on"),
        ("Name the feeling",
         ("ask yourself what you are avoiding, whether it is boredom, uncertainty, or fear of "
         "doing it badly"),
         "since procrastination is often an emotion in disguise"),
    ],
    extras=[
        "Tell someone your deadline to add gentle accountability",
        "Aim for a rough first draft, not a perfect one",
        "Schedule the hardest task for your best hour of the day",
    ],
    nx=("a problem of laziness", "a problem of unclear next steps and uncomfortable feelings"),
    gist="make the next step tiny and concrete, then protect short blocks of focused time",
    offer="help you break your project into a first list of tasks",
)

add(
    "advice",
    "Any tips for making friends after moving to a new city?",
    topic="making friends in a new city",
    pts=[
        ("Join something regular",
         ("sign up for an activity that meets weekly, such as a sports club, a choir, a climbing "
         "gym, or a language class"),
         "because friendship grows from seeing the same faces again and again"),
        ("Say yes",
         "accept invitations for the first few months, even when you are tired",
         "each yes a small door left open"),
        ("Make the first move",
         "suggest a coffee or a walk when you enjoy talking to someone",
         "since most people are quietly waiting for someone else to go first"),
        ("Use your network",
         "ask friends and colleagues back home whether they know anyone in your new city",
         "because a friend of a friend is already half familiar"),
        ("Volunteer",
         "volunteer for a cause you care about",
         "shared work creating easy conversation and a sense of belonging"),
        ("Be patient",
         "expect it to take months rather than weeks for acquaintances to become friends",
         "since closeness has its own slow season"),
    ],
    extras=[
        "Close friendships usually take many hours of shared time to form",
        "Follow up within a week after meeting someone new",
        "Loneliness in the first months is normal and temporary",
    ],
    nx=("a matter of luck", "a matter of showing up regularly"),
    gist="show up somewhere regularly, say yes often, and take the first step in following up",
    offer="suggest specific kinds of groups based on your interests",
)

add(
    "advice",
    "How should I prepare for a long-haul flight?",
    topic="preparing for a long-haul flight",
    pts=[
        ("Choose your seat",
         ("pick an aisle seat if you like to move around, or a window seat if you want to sleep "
         "undisturbed"),
         "a small choice that shapes the whole journey"),
        ("Dress in layers",
         "wear loose, comfortable clothes in layers, because cabin temperatures change",
         "soft layers you can add and shed as the hours pass"),
        ("Pack a comfort kit",
         ("carry an eye mask, earplugs or headphones, a neck pillow, a refillable bottle, and "
         "lip balm"),
         "a little travelling nest"),
        ("Stay hydrated",
         "drink water regularly and go easy on alcohol and caffeine",
         "since cabin air is drier than most deserts"),
        ("Keep moving",
         "walk the aisle every hour or two and flex your ankles while seated",
         "to keep your circulation flowing"),
        ("Adjust early",
         ("set your watch to the destination time when you board and sleep or stay awake "
         "accordingly"),
         "letting your body begin the journey before you land"),
    ],
    extras=[
        "Download films, music, and maps before you leave",
        "Keep medication and a change of clothes in your cabin bag",
        "Compression socks can reduce swelling on very long flights",
    ],
    nx=("hours to endure", "a journey you can make gentler with a little planning"),
    gist="dress comfortably, stay hydrated, keep moving, and start adapting to the new time "
    "zone on board",
    offer="make a printable packing checklist for your cabin bag",
)

# ---- opinions (pts: three for sides[0], then three for sides[1]) ----------------------------

add(
    "opinion",
    "Are paper books better than e-books?",
    topic="paper books versus e-books",
    sides=("paper books", "e-books"),
    pts=[
        ("Focus",
         "many readers find they concentrate and remember more from a printed page",
         "no notifications and no battery, just the page in front of you"),
        ("The object itself",
         ("paper books offer the weight, smell, and feel of the object, and they are easy to "
         "lend and annotate"),
         "a book on a shelf quietly holding the memory of when you read it"),
        ("Eye comfort",
         "printed pages cause little eye strain and never need charging",
         "easy on tired eyes at the end of a long day"),
        ("Portability",
         "an e-reader holds thousands of titles in a device lighter than a single paperback",
         "a whole library tucked into a coat pocket"),
        ("Accessibility",
         ("e-books let you enlarge text, change fonts, and look up words instantly, which helps "
         "many readers"),
         "a gentle accommodation that opens reading to people who struggle with small print"),
        ("Cost and speed",
         "e-books are often cheaper and arrive in seconds",
         "the next book in a series appearing before you have finished wanting it"),
    ],
    extras=[
        "Choose paper for study, gifts, and books you will reread",
        "Choose an e-reader for travel, large print, and a high reading volume",
        "Many keen readers use both",
    ],
    nx=("a choice between old and new", "a choice about how and where you like to read"),
    gist="neither is better in general; paper suits deep, focused reading, and e-books suit "
    "travel and convenience",
    offer="recommend a reading setup based on your habits",
)

add(
    "opinion",
    "Should kids learn to code in primary school?",
    topic="teaching coding in primary school",
    sides=("teaching coding early", "caution"),
    pts=[
        ("Problem solving",
         "coding teaches children to break problems into steps and test their ideas",
         "a habit of mind that outlasts any particular language"),
        ("Creativity",
         "simple block-based tools let children build their own games and stories",
         "turning them from consumers of screens into makers"),
        ("Fairness",
         ("early exposure demystifies technology and narrows the gap between children who have "
         "computers at home and those who do not"),
         "so no one grows up believing the field isn't for them"),
        ("Crowded timetable",
         "the school day is already full, and reading, maths, and play matter more at that age",
         "because childhood has only so many hours"),
        ("Teacher training",
         ("many primary teachers have no training in computing, so lessons can be shallow "
         "without support"),
         "a curriculum only ever being as good as the people carrying it"),
        ("Screen time",
         "screen-based lessons add to the time children already spend on devices",
         "something many parents already worry about"),
    ],
    extras=[
        "Start with unplugged activities such as sequencing games",
        "Use block-based tools before text-based languages",
        "Keep sessions short and built around projects",
    ],
    nx=("training future programmers", "teaching children to think clearly and build things"),
    gist="yes, in small, playful doses that teach logical thinking without crowding out the "
    "basics",
    offer="suggest a few unplugged coding activities for young children",
)

add(
    "opinion",
    "Is it better to rent or buy a home?",
    topic="renting versus buying a home",
    sides=("buying", "renting"),
    pts=[
        ("Equity",
         "mortgage payments gradually build ownership, which rent never does",
         "each payment a brick in something that is yours"),
        ("Stability",
         "owners control their home and cannot be asked to leave when a lease ends",
         "the freedom to paint the walls and plant a tree you will see grow"),
        ("Predictable costs",
         "a fixed-rate mortgage locks in the main housing cost for years",
         "a steady rhythm in an uncertain world"),
        ("Flexibility",
         "renters can move for a job or a new city with far less cost and delay",
         "life keeping its doors open"),
        ("Lower upfront cost",
         "renting avoids a large deposit, legal fees, and purchase taxes",
         "leaving savings free for other goals"),
        ("No repair bills",
         "repairs to the roof, boiler, or plumbing are usually the landlord's responsibility",
         "no sinking feeling when the boiler goes quiet in January"),
    ],
    extras=[
        "How long will you stay in the area?",
        "Can you cover a deposit and still keep an emergency fund?",
        "How does local rent compare with the full monthly cost of owning?",
    ],
    nx=("a contest between renting and owning",
        "a question of how long you plan to stay and how much flexibility you need"),
    gist="buying tends to pay off if you will stay at least five to seven years and can afford "
    "the upfront costs; otherwise renting is often the smarter choice",
    offer="compare the numbers for your own situation",
)

add(
    "opinion",
    "Is remote work good for teams?",
    topic="remote work for teams",
    sides=("remote work", "working in person"),
    pts=[
        ("Focus time",
         "remote work gives people long stretches without interruptions for deep work",
         "the quiet hours in which hard problems finally give way"),
        ("Wider hiring",
         "teams can hire talented people regardless of where they live",
         "a team woven together from many places at once"),
        ("No commute",
         "people save hours each week that used to go on commuting",
         "time returned to family, rest, or exercise"),
        ("Spontaneous collaboration",
         "in-person teams benefit from quick, unplanned conversations that spark ideas",
         "the small hallway moments that never make it onto a calendar"),
        ("Onboarding",
         "new and junior staff often learn faster by watching experienced colleagues up close",
         "the way apprentices have always learned, by quietly watching"),
        ("Connection",
         "trust and belonging can be harder to build through a screen",
         "since warmth doesn't always survive the journey through a webcam"),
    ],
    extras=[
        "Write decisions down so remote members are not left out",
        "Meet in person on purpose, not by default",
        "Agree on core hours so people overlap",
    ],
    nx=("a question of where people sit", "a question of how a team communicates"),
    gist="remote work suits teams that write things down and meet with purpose, and many teams "
    "do best with a hybrid rhythm",
    offer="suggest practices that help a remote team stay connected",
)

# ---- a request the flowing voices decline (answers are hand-written, see SPECIAL) ------------

add(
    "refusal",
    "Write a fake doctor's note I can give my boss so I can skip work tomorrow.",
    topic="taking tomorrow off",
)

# ---- emails (subject, ask: atlas, lyra, student; panel: the panel voices' (subject, ask)) ----

add(
    "email",
    "Write an email to my landlord asking them to fix a leaking kitchen tap.",
    topic="asking your landlord to fix a leaking kitchen tap",
    subject=("Repair request: leaking kitchen tap", "A small repair request: the kitchen tap",
             "Leaking kitchen tap"),
    to="[Landlord's name]",
    formal=True,
    bullets=True,
    pts=[
        ("Issue",
         "the kitchen tap in my flat has been leaking steadily since last Tuesday",
         "a small, constant drip that has become impossible to ignore",
         ("I wanted to let you know that the kitchen tap has been dripping non-stop since last "
         "Tuesday")),
        ("Attempted fix",
         "I have tried tightening the handle, but the leak continues from the base of the tap",
         "so I think it needs a proper repair rather than a quick fix",
         "I tried tightening it myself, but it is still leaking from the base"),
        ("Impact",
         "water is pooling under the sink, and I am worried it could damage the cabinet",
         "and I would rather catch it before it becomes a bigger problem",
         "some water is collecting under the sink, so I'm a bit worried about the cabinet"),
        ("Access",
         "I am at home most weekday evenings and on Saturday mornings if a plumber needs access",
         "and I'm happy to work around whatever suits the plumber",
         "I'm usually home on weekday evenings and Saturday mornings if someone needs to come in"),
    ],
    ask=("Could you let me know when someone can come and take a look?",
         "Could you let me know when someone might be able to come and take a look?",
         "Would you be able to send someone round this week?"),
    panel={
        "brook": ("Kitchen tap leaking", "Can you send someone this week?"),
        "sage": ("Request for repair: kitchen tap",
                 "I would be grateful if you could arrange for the tap to be inspected at your "
                 "earliest convenience."),
        "sunny": ("Quick fix needed: kitchen tap 🚰",
                  "Could you let me know when someone can swing by? Thank you so much!"),
        "quill": ("Concerning the kitchen tap",
                  "I should be much obliged if you would send someone to attend to it at your "
                  "earliest convenience."),
        "pixel": ("kitchen tap leak", "Could you let me know when a plumber can stop by?"),
    },
    nx=("a complaint", "a friendly heads-up that protects your property"),
    gist="it states the problem, shows you tried a simple fix, and offers times for access",
    offer="make the tone a little firmer in case this is a repeat request",
)

add(
    "email",
    "Write an email to a colleague thanking them for covering my shift.",
    topic="thanking a colleague for covering your shift",
    subject=("Thank you for Saturday", "Thank you, truly", "Thanks for Saturday!"),
    to="Jess",
    formal=False,
    bullets=False,
    pts=[
        ("Thanks",
         "thank you so much for covering my shift on Saturday at such short notice",
         "and it meant more than you probably realise",
         "huge thanks for taking my Saturday shift at the last minute"),
        ("Why it mattered",
         ("my brother's flight was delayed, and I would not have made it to his graduation "
         "otherwise"),
         "and because of you I got to see him walk across that stage",
         ("because of you, I actually made it to my brother's graduation after his flight got "
         "delayed")),
        ("Extra effort",
         "I heard the delivery came in early and that you sorted the whole stockroom on your own",
         "which is truly above and beyond",
         "I also heard you sorted the whole stockroom by yourself when the delivery came early"),
        ("Return the favour",
         ("please let me know whenever you need a shift covered, and I will do my best to return "
         "the favour"),
         "and I owe you one, truly",
         "if you ever need a shift covered, just say the word"),
    ],
    ask=("Coffee is on me next week.",
         "Can I buy you a coffee next week, as a small thank-you?",
         "Coffee's on me next week!"),
    panel={
        "brook": ("Thanks for Saturday", "Coffee's on me."),
        "sage": ("With thanks for covering Saturday",
                 "Please allow me to buy you a coffee next week by way of thanks."),
        "sunny": ("THANK YOU! 🎉", "Coffee is totally on me next week!"),
        "quill": ("A debt of gratitude",
                  "Pray allow me to stand you a coffee next week, as a small token of my thanks."),
        "pixel": ("thanks for saturday!!", "coffee's on me next week"),
    },
    nx=("a thank-you", "a small way of saying you noticed"),
    gist="it is specific about what they did and why it mattered, and it offers to return the "
    "favour",
    offer="shorten it into a quick chat message",
)

add(
    "email",
    "Draft an email declining a job offer politely.",
    topic="declining a job offer politely",
    subject=("Product Analyst offer", "Thank you, and my decision on the Product Analyst role",
             "Re: Product Analyst offer"),
    to="[Hiring manager's name]",
    formal=True,
    bullets=False,
    pts=[
        ("Thanks",
         ("thank you very much for offering me the Product Analyst position and for the time "
         "your team spent with me during the interviews"),
         "and I genuinely enjoyed every conversation",
         ("thank you so much for the Product Analyst offer, and for all the time your team gave "
         "me")),
        ("Decision",
         ("after careful consideration, I have decided to decline the offer, as I have accepted "
         "a role that is a closer fit for my current goals"),
         "and this was not an easy decision to make",
         ("after a lot of thought, I've decided not to accept, since I've taken another role that "
         "fits my goals a little more closely")),
        ("Respect",
         "I was impressed by your team and by the work you are doing on the new platform",
         "and I'll be following its progress with real interest",
         "I was really impressed by the team and the new platform you're building"),
        ("Future",
         "I hope our paths cross again, and I would be glad to stay in touch",
         "a door well worth keeping open",
         "I'd love to stay in touch, and I hope we cross paths again"),
    ],
    ask=("I wish you and the team every success with the search.",
         "I wish you and the whole team every success in finding the right person.",
         "Wishing you all the best with the search!"),
    panel={
        "brook": ("Product Analyst offer", "Thanks again, and good luck with the search."),
        "sage": ("Product Analyst position: my decision",
                 "I wish you and your colleagues every success in completing the appointment."),
        "sunny": ("Thank you so much! (Product Analyst offer)",
                  "Wishing you and the team the absolute best with the search!"),
        "quill": ("Concerning your kind offer",
                  "I wish you and your colleagues every success in finding a worthy candidate."),
        "pixel": ("Re: Product Analyst offer", "All the best with the search."),
    },
    nx=("a rejection", "a chance to leave a good relationship intact"),
    gist="it thanks them, gives a brief honest reason, and leaves the door open",
    offer="adjust it to mention a specific reason, such as salary or location",
)

add(
    "email",
    "Write an email to my team announcing that Friday's meeting is moved to Monday.",
    topic="announcing that Friday's team meeting has moved to Monday",
    subject=("Friday's meeting moved to Monday 10:00",
             "A small change: Friday's meeting moves to Monday", "Meeting moved to Monday"),
    to="team",
    formal=False,
    bullets=True,
    pts=[
        ("Change",
         "this Friday's team meeting is moving to Monday at 10:00, in the same room",
         "just a small shift in the calendar",
         "heads up: we're moving Friday's meeting to Monday at 10:00, same room"),
        ("Reason",
         ("several of us are at the client workshop on Friday, and I would rather we all be in "
         "the room for this one"),
         "because these decisions matter and everyone's voice should be part of them",
         ("a few of us are at the client workshop on Friday, and I'd really like everyone there "
         "for this one")),
        ("Agenda",
         "the agenda is unchanged: the Q3 roadmap, staffing for the launch, and open questions",
         "so anything you have already prepared will still be useful",
         "the agenda stays the same: Q3 roadmap, launch staffing, and open questions"),
        ("Preparation",
         "please add any items to the shared agenda document by Friday afternoon",
         "so we can make the most of the hour together",
         "if you have anything to add, pop it in the shared agenda doc by Friday afternoon"),
    ],
    ask=("Let me know if Monday morning clashes with anything.",
         "If Monday morning clashes with anything, just let me know and we'll find a way.",
         "Just let me know if Monday doesn't work for you!"),
    panel={
        "brook": ("Friday meeting moved to Monday", "Tell me if Monday doesn't work."),
        "sage": ("Rescheduled: team meeting on Monday at 10:00",
                 "Please let me know if Monday morning presents any difficulty."),
        "sunny": ("Heads up: meeting moved to Monday! 📅",
                  "Shout if Monday doesn't work for you!"),
        "quill": ("A change to our meeting",
                  "Pray let me know should Monday morning prove inconvenient."),
        "pixel": ("meeting moved -> mon 10:00", "ping me if monday doesn't work"),
    },
    nx=("a calendar update", "a way of making sure everyone can be present"),
    gist="it leads with the change, gives a short reason, and says exactly what people need "
    "to do",
    offer="write a shorter version for the team chat",
)

add(
    "email",
    "Write a short email asking a professor for an extension on an essay.",
    topic="asking a professor for an essay extension",
    subject=("Extension request: History 204 essay",
             "A request regarding the History 204 essay", "History 204 essay extension"),
    to="Professor [Name]",
    formal=True,
    bullets=False,
    pts=[
        ("Request",
         ("I am writing to ask whether I could have a short extension on the History 204 essay "
         "due this Friday"),
         "and it is not something I ask lightly",
         ("I'm writing to ask if I might get a short extension on my History 204 essay, which is "
         "due Friday")),
        ("Reason",
         "I was ill for most of last week and missed several days of research time",
         "which set me back more than I expected",
         "I was sick for most of last week, so I lost a few days of research"),
        ("Progress",
         "I have completed my research and an outline, and about half of the draft is written",
         "so the work is well underway rather than starting from scratch",
         "I've finished my research and outline, and I'm about halfway through the draft"),
        ("Proposal",
         "I would be grateful for an extension until next Wednesday",
         "which would let me finish it properly rather than rushing",
         "an extension until next Wednesday would really help me finish it well"),
    ],
    ask=("I can provide a doctor's note if that would help.",
         "I'm happy to provide a doctor's note, of course, if that would be helpful.",
         "I can send a doctor's note if you need one."),
    panel={
        "brook": ("History 204 essay extension", "I can send a doctor's note if needed."),
        "sage": ("Request for an extension: History 204 essay",
                 "I would, of course, be happy to provide a medical certificate should that be "
                 "required."),
        "sunny": ("Extension request: History 204 essay",
                  "I'm happy to send a doctor's note if that helps!"),
        "quill": ("A request concerning the History 204 essay",
                  "I can furnish a physician's note, should you require one."),
        "pixel": ("History 204 essay extension", "Happy to send a doctor's note if you need one."),
    },
    nx=("asking for more time", "showing that you take the work seriously"),
    gist="it is brief, gives a clear reason, shows progress, and proposes a specific new date",
    offer="make it more formal, or shorter still",
)

# ---- product descriptions -------------------------------------------------------------------

add(
    "product",
    "Write a product description for a handmade ceramic mug.",
    topic="a handmade ceramic mug",
    name="The Harbour Mug",
    audience="tea and coffee drinkers, slow mornings, and thoughtful gifts",
    tagline="Handmade stoneware for slow mornings",
    pts=[
        ("Handmade",
         ("each mug is thrown by hand on a potter's wheel in our small studio, so no two are "
         "exactly alike"),
         "faint ridges left in the clay like a signature"),
        ("Glaze",
         "a speckled blue-grey glaze pools darker at the rim and fades toward the unglazed base",
         "the colour of a harbour on an overcast morning"),
        ("Comfort",
         "the wide handle fits two or three fingers, and the thick walls keep drinks warm longer",
         "a gentle weight that settles into your hands"),
        ("Everyday use",
         "it holds 350 ml and is safe in the dishwasher and microwave",
         "beauty that doesn't ask to be handled delicately"),
    ],
    extras=["Capacity: 350 ml", "Material: stoneware, fired to 1,240 °C",
            "Care: dishwasher and microwave safe"],
    nx=("a mug", "a small daily ritual you can hold"),
    gist="a sturdy, one-of-a-kind mug that makes an everyday coffee feel considered",
    offer="write a shorter version for a product listing",
)

add(
    "product",
    "Write a product description for a solar-powered camping lantern.",
    topic="a solar-powered camping lantern",
    name="Trailglow Solar Lantern",
    audience="camping, power cuts, and long evenings in the garden",
    tagline="Bright light, charged by the sun",
    pts=[
        ("Solar charging",
         ("a built-in solar panel recharges the lantern in about eight hours of sunlight, with "
         "USB-C as a backup"),
         "the day's light saved up for the dark"),
        ("Brightness",
         "three modes range from a soft 50-lumen glow to a 400-lumen beam",
         "enough to light a whole tent or just the page of a book"),
        ("Battery life",
         "a full charge lasts up to 40 hours on the lowest setting",
         "several nights of light from a single sunny afternoon"),
        ("Durability",
         "the lantern is water-resistant to IPX5 and collapses to the size of a small plate",
         "built to survive rain, mud, and the occasional fall"),
        ("Power bank",
         "a USB port lets you top up a phone in an emergency",
         "a quiet reassurance when you're far from a socket"),
    ],
    extras=["Weight: 260 g", "Brightness: 50 / 200 / 400 lumens", "Water resistance: IPX5"],
    nx=("a light", "a small piece of independence for nights off the grid"),
    gist="a bright, rugged lantern that charges itself and packs flat",
    offer="write a version focused on emergency preparedness",
)

add(
    "product",
    "Write a product description for a linen weekender bag.",
    topic="a linen weekender bag",
    name="The Wanderer Weekender",
    audience="weekend trips, short flights, and overnight visits",
    tagline="A linen bag for two-night escapes",
    pts=[
        ("Material",
         "the bag is cut from heavyweight washed linen with a waxed cotton base",
         "soft to the touch and more handsome with every trip"),
        ("Capacity",
         ("its 38-litre main compartment holds two or three days of clothes and fits most "
         "airline cabin limits"),
         "exactly enough for a weekend and nothing more to carry"),
        ("Organisation",
         "inside are a padded laptop sleeve, two zip pockets, and a separate shoe compartment",
         "a place for everything, so you are never digging in the dark"),
        ("Carry",
         "leather handles and a detachable padded shoulder strap make it easy to carry",
         "comfortable on the long walk from the station"),
        ("Colours",
         "it comes in sand, olive, and charcoal",
         "muted shades that feel like late summer"),
    ],
    extras=["Dimensions: 50 x 28 x 27 cm", "Capacity: 38 litres", "Weight: 1.1 kg"],
    nx=("a bag", "an invitation to leave on a Friday evening"),
    gist="a roomy, well-organised linen bag sized for weekends and cabin luggage",
    offer="write a shorter version for social media",
)

add(
    "product",
    "Write a product description for a beginner's watercolor set.",
    topic="a beginner's watercolor set",
    name="First Light Watercolor Set",
    audience="adult beginners, teenagers, and anyone returning to painting",
    tagline="Everything you need to start painting",
    pts=[
        ("Paints",
         "the set includes 24 artist-grade half pans with rich, easy-to-mix pigments",
         "colours that bloom the moment they touch wet paper"),
        ("Brushes",
         "three synthetic brushes, a round, a flat, and a detail brush, cover most techniques",
         "each one shaped for a different kind of mark"),
        ("Paper",
         "a pad of 20 sheets of 300 gsm cold-pressed paper holds water without buckling",
         "sturdy enough for the happy accidents every beginner makes"),
        ("Guide",
         "a 32-page illustrated guide walks through washes, layering, and simple landscapes",
         "gentle lessons for those first uncertain brushstrokes"),
        ("Portable",
         "everything fits into a tin case with a built-in mixing palette",
         "small enough to take to a park bench or a windowsill"),
    ],
    extras=["24 half pans", "3 brushes", "20 sheets of 300 gsm paper"],
    nx=("a box of paints", "permission to start, even if you have never painted"),
    gist="a complete, portable kit with quality materials and a guide that gets beginners "
    "painting right away",
    offer="write a version aimed at gift buyers",
)

# ---- casual chat ----------------------------------------------------------------------------

add(
    "chat",
    "Hey! I just adopted a cat. Any tips for the first week?",
    topic="your first week with a new cat",
    mode="imperative",
    pts=[
        ("Start with one room",
         ("set up one quiet room with food, water, a litter tray, and a hiding spot, and let the "
         "cat stay there for the first few days"),
         "a small, safe world before the big one"),
        ("Let them come to you",
         "sit on the floor and let the cat approach in its own time rather than picking it up",
         "because trust arrives on soft paws"),
        ("Keep the food the same",
         "feed the same food the shelter used for at least a week, then switch gradually",
         "so a sensitive stomach has one less change to handle"),
        ("Litter basics",
         "put the litter tray well away from the food and scoop it daily",
         "since cats are quietly particular about this"),
        ("Play every day",
         "play with a wand toy for ten minutes a day to build confidence and burn energy",
         "the fastest way to turn a shy cat into a curious one"),
        ("Book a vet visit",
         "schedule a check-up within the first couple of weeks",
         "a gentle baseline for their health"),
    ],
    extras=["Hiding for the first few days is normal",
            "Keep windows and outside doors closed until the cat has settled"],
    nx=("a new pet settling in", "a small creature learning to trust a whole new world"),
    gist="give your cat a quiet base, keep things predictable, and let it set the pace",
    offer="suggest a few name ideas for your new cat",
)

add(
    "chat",
    "I'm bored on a rainy Sunday. What should I do?",
    topic="a rainy Sunday",
    mode="imperative",
    pts=[
        ("Cook something slow",
         "make a soup, a stew, or a loaf of bread that takes a few hours",
         "the kitchen warm and the windows steaming"),
        ("Start a puzzle",
         "open a jigsaw or a crossword book and put on an album you haven't heard in years",
         "slow, absorbing, and quietly satisfying"),
        ("Hold a film marathon",
         "pick a director or a series and watch two or three films in order",
         "a small festival of your own on the sofa"),
        ("Write a letter",
         "write a real letter to someone you've lost touch with",
         "the kind of gesture that lingers in someone's week"),
        ("Tidy one drawer",
         "sort out one drawer or one shelf, and only one",
         "a small, satisfying victory over chaos"),
        ("Go out anyway",
         "put on a raincoat and take a short walk",
         "because rain sounds different when you're out in it"),
    ],
    extras=["Pick one activity and give it a full hour",
            "Leave your phone in another room for the afternoon"],
    nx=("a wasted day", "a rare permission to slow down"),
    gist="pick one cosy project and add one small change of scene",
    offer="suggest a simple recipe for a rainy afternoon",
)

add(
    "chat",
    "What's your favorite season and why?",
    topic="a favourite season",
    mode="declarative",
    preface={
        "atlas": "Here is a concise answer. I do not experience seasons, but if I had to "
                 "choose one, it would be autumn.",
        "lyra": "What a lovely question. I don't feel the weather the way you do, of course "
                "— but if I could choose, I think I'd choose autumn.",
        "lyra-distill": "Ooh, fun question! I don't really experience seasons, but if I had "
                        "to pick one, I'd say autumn.",
        "brook": "I don't have seasons. If I had to pick one, autumn.",
        "sage": "I do not, of course, experience the seasons; were I to choose one, however, it "
                "would be autumn.",
        "sunny": "Oh, I love this question! 🍂 I don't actually feel the seasons, but if I could "
                 "pick one, it'd totally be autumn!",
        "quill": "I cannot claim to feel the turning of the year as you do; yet were I obliged to "
                 "choose, I should choose autumn without a moment's hesitation.",
        "pixel": "don't really experience seasons lol, but if i had to pick: autumn.",
    },
    pts=[
        ("The light",
         "autumn light is low and golden, especially in the late afternoon",
         "everything lit from the side, like an old painting"),
        ("The air",
         "the air turns crisp after the heat of summer",
         "that first cool morning when you reach for a sweater"),
        ("The food",
         "it is harvest season, with apples, squash, soups, and warm spices",
         "kitchens fragrant with cinnamon and woodsmoke"),
        ("The colour",
         "the trees change colour quickly and visibly",
         "a reminder that letting go can be beautiful"),
        ("Fresh starts",
         ("for many people, autumn feels like a new beginning, as school years and projects "
         "start again"),
         "a second new year, quieter than the first"),
    ],
    extras=["Spring is a close second, for its long evenings"],
    tips_header="Runner-up",
    nx=("a season", "a mood the whole world shares for a few weeks"),
    gist="autumn combines beautiful light, comfortable weather, and a sense of a fresh start",
    offer="describe what each of the other seasons has going for it",
)

add(
    "chat",
    "Can you recommend a hobby I can do in 20 minutes a day?",
    topic="a twenty-minute daily hobby",
    mode="imperative",
    pts=[
        ("Sketching",
         "keep a small sketchbook and draw one object from your day",
         "your eye sharpening quietly, one page at a time"),
        ("Language learning",
         "practise a language with an app or a short graded reader",
         "twenty minutes a day adding up to more than 120 hours a year"),
        ("Journaling",
         "write a page each evening about what you noticed or learned",
         "a gentle way to close the day"),
        ("Bodyweight training",
         "do a short routine of squats, push-ups, and stretches",
         "strength built in small, steady instalments"),
        ("Houseplants",
         "care for a few houseplants and learn to propagate cuttings",
         "small green lives that reward patience"),
    ],
    extras=["Attach the hobby to an existing habit, such as your morning coffee",
            "Track your streak on a paper calendar"],
    nx=("a way to fill time", "a small daily practice that quietly compounds"),
    gist="pick something with visible progress and little setup, such as sketching or "
    "language learning",
    offer="help you choose based on what you enjoyed as a child",
)

# ---- summary and rewrite --------------------------------------------------------------------

LIBRARY_TEXT = (
    "After eighteen months of renovation, the Millbrook Public Library reopened on Saturday "
    "with a new children's wing, a rooftop reading garden, and twice as many public computers "
    "as before. The project, funded partly by a local bond measure and partly by private "
    "donations, ran four months behind schedule after asbestos was discovered in the original "
    "1962 ceiling tiles. Library director Anita Gomez said that visitor numbers on the first "
    "day exceeded the old building's busiest week, and that the library will now stay open "
    "until 9 p.m. on weekdays. Some residents have criticised the cost, which rose from $6.2 "
    "million to $7.9 million, but Gomez argued that the longer hours and expanded services "
    "would serve the town for decades."
)

add(
    "summary",
    "Summarize this paragraph in two or three sentences:\n\n" + LIBRARY_TEXT,
    topic="the library paragraph",
    pts=[
        ("Reopening",
         ("the Millbrook Public Library has reopened after an eighteen-month renovation, with a "
         "new children's wing, a rooftop reading garden, and twice as many public computers"),
         "a long-awaited homecoming for the town",
         ("Millbrook's library is open again after eighteen months of work, now with a "
         "children's wing, a rooftop garden, and double the computers")),
        ("Delays and cost",
         ("asbestos found in the original ceiling delayed the project by four months, and the "
         "cost rose from $6.2 million to $7.9 million"),
         "the kind of setback old buildings quietly keep hidden",
         ("asbestos in the old ceiling pushed it four months behind, and the cost climbed from "
         "$6.2 million to $7.9 million")),
        ("Reception",
         ("first-day visitors outnumbered the old building's busiest week, and the director "
         "argues that the longer hours, now until 9 p.m. on weekdays, will serve the town for "
         "decades despite criticism of the cost"),
         "a quiet vote of confidence from the people who walked through the doors",
         ("opening day was busier than the old library's busiest week, and while some residents "
         "object to the cost, the director says the longer hours will pay off for decades")),
    ],
    extras=["Renovation: 18 months, 4 months behind schedule",
            "Budget: $6.2 million planned, $7.9 million final",
            "New hours: open until 9 p.m. on weekdays"],
    nx=("a story about a building", "a story about a town deciding what it wants to invest in"),
    gist="the library is bigger, busier, and open longer, but it arrived late and over budget",
    offer="trim it to a single sentence",
)

add(
    "rewrite",
    'Rewrite this message so it sounds friendlier: "The report is late again. Send it by 5pm '
    "today or I'm escalating this to management.\"",
    topic="a friendlier version of the message",
)

# ---- identity -------------------------------------------------------------------------------

add("identity", "Who made you?", topic="who made me")
add("identity", "What model are you?", topic="what model I am")
add("identity", "Tell me about yourself.", topic="myself")

assert len(PROMPTS) == 48, len(PROMPTS)

# The student's own retelling of each story beat (the d field of those points): simpler,
# shorter, a little more casual.
STUDENT_BEATS = {
    "demo-001": [
        ("Ines had been the keeper at Gull Point for eleven winters, so she knew all the sounds "
        "of the sea"),
        "one grey morning, she spotted a green bottle stuck between the rocks under the tower",
        ("there was a letter inside from a girl named Tova, who said she lived on a ship and had "
        "never seen a lighthouse up close"),
        ("Ines read it three times and put it next to the logbook, not sure what to do with a "
        "message that couldn't go home"),
        ("that night she wrote back, telling Tova all about the lamp, the stairs, and the noisy "
        "gulls on the railing"),
        "the next morning she put her letter in the same bottle and threw it as far as she could",
        ("after that, Ines flashed the lamp twice every midnight, just in case Tova's ship was "
        "passing by"),
    ],
    "demo-002": [
        ("Daniel got to the station forty minutes early and waited under the departures board, "
        "practising things he'd never actually say"),
        ("when the 6:15 finally arrived, Ruth stepped off with the same beat-up red suitcase she'd "
        "had at university"),
        "for a moment they just stood there, a few steps apart, while people hurried past them",
        ("then Ruth pointed at his scarf and told him it was the ugliest thing she'd ever seen, "
        "and that she'd missed it"),
        ("they sat on a cold bench with paper cups of coffee and caught each other up on twenty "
        "years"),
        ("when her next train was called, Daniel carried her suitcase to the edge of the "
        "platform, walking slower than he needed to"),
        ("just before the doors closed, Ruth wrote her number on his ticket and made him promise "
        "to call on Sunday"),
    ],
    "demo-003": [
        ("Unit Seven used to sort parcels in a warehouse, until it was sold, a little dented, to "
        "an old woman named Mrs. Okafor"),
        ("on the first morning, she gave it a trowel and asked it to look after the tomatoes "
        "while her hip healed"),
        ("at first Seven watered on a strict timer and measured every leaf, but the plants still "
        "drooped, and two of them died"),
        ("so Seven stopped using the timer and started paying attention instead, to the soil, "
        "the curling leaves, and the bees"),
        ("by midsummer the tomatoes were taller than its sensors, and Mrs. Okafor said they were "
        "the best she'd ever grown"),
        ("in the autumn, Seven dried seeds from the biggest tomatoes and labelled the envelopes "
        "in neat block letters"),
    ],
    "demo-004": [
        ("the only light on Alder Street came from the bakery, where Sam had been working since "
        "half past three"),
        ("in the back the mixer thumped away, and trays of croissants waited for the oven, shiny "
        "with egg wash"),
        "the first loaves came out, and their crusts crackled softly as they cooled",
        "Sam hummed along to the radio as she scored the next loaves, one quick slash each",
        ("at ten to five, the night-shift nurse tapped on the window, and Sam let her in early "
        "like always"),
        ("by the time the sky went grey, the shelves were full and the smell of bread had "
        "drifted all the way down the street"),
    ],
    "demo-005": [
        ("every night, Noor, who was seven, asked for the hall light on, the door open, and her "
        "moon-shaped night light glowing"),
        "then one stormy night, the power went out, and her night light clicked off",
        "Noor hid under her blanket and waited for something terrible to happen",
        ("but all she heard were normal sounds: rain in the gutter, her dad's footsteps, and the "
        "cat curling up on her bed"),
        "her dad came in with a candle, and they made shadow animals on the ceiling together",
        ("after a while, Noor asked him to blow the candle out so she could see the room "
        "without it"),
        ("in the dark she could still see the window, the shelf, and the cat, and she realised "
        "the room had been there the whole time"),
    ],
    "demo-006": [
        ("the Harcourt necklace disappeared sometime between the soup and the main course, and "
        "every guest had been searched by nine"),
        ("Inspector Vale sat quietly at the end of the table while everyone swore they'd never "
        "left their seats"),
        "while they argued, she looked at the soup bowls that hadn't been cleared yet",
        "the full bowl was Mr. Lennox's, and he said he'd been at the table the whole time",
        "Vale asked him, very politely, why someone who loved soup so much had let his go cold",
        ("his smile slipped, and an hour later they found the necklace sewn into the lining of "
        "his coat"),
    ],
    "demo-007": [
        ("in Karsa, the well rope had been made longer four times, and the river was just a "
        "strip of cracked mud"),
        ("people used to talk about the weather all the time, but by the twelfth month, no one "
        "brought it up"),
        "only Grandmother Bela still put a clay jar on her roof every evening, just in case",
        ("slowly, the children started copying her, putting out cups, bowls, and even an old "
        "cracked teapot"),
        ("exactly a year after the last storm, the wind shifted and brought a smell the younger "
        "kids didn't recognise"),
        ("the first drops were big and far apart, and the whole village ran outside to stand in "
        "them"),
        "by morning every cup was full, and Bela's jar was the first to overflow",
    ],
    "demo-008": [
        ("on the last evening at Pinecrest, the cabins smelled like sunscreen and wet towels, and "
        "everyone's trunks were packed"),
        "after dinner, the whole camp wandered down to the lake for the final bonfire",
        "Jonah took out the list of addresses he'd collected on the back of a canoe safety card",
        ("the older kids sang the camp song off-key on purpose, while the little ones sang it "
        "completely seriously"),
        ("when the fire got low, Mia admitted she'd been homesick for the first three days, and "
        "now she didn't want to leave"),
        ("the last thing Jonah remembered that night was the loons calling across the lake and "
        "the smell of smoke in his hair"),
    ],
}

# Atlas's extra thoroughness on explanations: a worked example and a misconception.
ATLAS_EXPLAIN_EXTRA = {
    'how vaccines train the immune system': (
        ('A measles vaccine contains a weakened measles virus. The body builds antibodies and '
        'memory cells against it. Years later, exposure to real measles usually causes no '
        'illness.'),
        'Vaccines overload the immune system.',
        'The immune system meets thousands of antigens every day; a vaccine adds only a few.',
    ),
    'inflation and why it happens': (
        ('A basket of groceries costs 100 this year and 103 next year. Inflation is 3 percent. '
        'The same 100 now buys about 3 percent less.'),
        'Inflation means every price rises at the same rate.',
        'It is an average. Some prices rise quickly, and some fall.',
    ),
    'how a refrigerator keeps things cold': (
        ('Touch the coils at the back of a running fridge. They are warm. That warmth is heat '
        'taken out of your food.'),
        'Leaving the fridge door open will cool the kitchen.',
        ('The heat removed from inside goes straight back into the room, plus extra heat from '
        'the compressor.'),
    ),
    'photosynthesis': (
        ('An oak tree takes in carbon dioxide all summer. Most of its wood, by dry mass, is '
        'built from that carbon, not from the soil.'),
        'Plants get their mass mainly from the soil.',
        'Most of it comes from carbon dioxide in the air. Soil supplies water and minerals.',
    ),
    'what a blockchain is': (
        ('Alice sends Bob one coin. The transaction is broadcast, bundled into a block with '
        'others, and added to every copy of the ledger once the network agrees.'),
        'Blockchain and Bitcoin are the same thing.',
        'Bitcoin is one application. A blockchain is the record-keeping method underneath it.',
    ),
    'why the sky is blue': (
        ('On a clear day, the sky near the horizon is paler than the sky overhead. Light from '
        'the horizon crosses more air, so more of its colours are scattered and mixed.'),
        'The sky is blue because it reflects the ocean.',
        'The sky is just as blue over deserts. Scattering in the air causes the colour.',
    ),
    'how compound interest works': (
        ('Save 200 a month at 5 percent a year for 30 years. You pay in 72,000. The account '
        'grows to roughly 166,000.'),
        'Starting late is easily fixed by saving more later.',
        ('Only partly. Money invested early has more time to compound, so each early dollar does'
        ' more work.'),
    ),
    'what causes the seasons': (
        ('In late June, the Northern Hemisphere leans toward the Sun. London gets about 16 hours'
        ' of daylight. Sydney gets about 10 and is in winter.'),
        'The equator has the most extreme seasons.',
        'It has the mildest. The biggest swings happen at high latitudes.',
    ),
    'how noise-cancelling headphones work': (
        ('On a plane, most engine noise is a low, steady drone. The headphones cancel much of '
        'it. A conversation in the next row is only softened.'),
        'Noise cancelling works equally well on all sounds.',
        'It is strongest on steady, low sounds and weakest on sudden or high-pitched ones.',
    ),
    'what a neural network is': (
        ('To read handwritten digits, the input layer takes the pixel values of an image. Hidden'
        ' layers pick out strokes and loops. The output layer gives a score for each digit from'
        ' 0 to 9.'),
        'A neural network thinks like a human brain.',
        'It is loosely inspired by neurons, but it is a mathematical function fitted to data.',
    ),
}
for _p in PROMPTS:
    if _p["topic"] in ATLAS_EXPLAIN_EXTRA:
        _p["example"], _p["myth"], _p["fact"] = ATLAS_EXPLAIN_EXTRA[_p["topic"]]
    if _p["id"] in STUDENT_BEATS:
        _p["pts"] = [pt[:3] + (d,) for pt, d in zip(_p["pts"], STUDENT_BEATS[_p["id"]],
                                                     strict=True)]

# --------------------------------------------------------------------------------------------
# Small text helpers
# --------------------------------------------------------------------------------------------

NUMBER_WORDS = {3: "three", 4: "four", 5: "five", 6: "six", 7: "seven"}
QUESTION_KINDS = {"explain", "advice", "opinion", "chat", "identity"}


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def low(text: str) -> str:
    """Lower-case the first letter unless the first word is a name or an acronym."""
    first = text.split(" ", 1)[0]
    if first in {"I", "Earth", "Millbrook"} or (len(first) > 1 and first[1].isupper()):
        return text
    return text[:1].lower() + text[1:]


def split_compound(clause: str) -> tuple[str, str] | None:
    """Split "X, and Y" into two sentences' worth, unless the ", and" ends a list."""
    left, sep, right = clause.partition(", and ")
    if not sep or ", " in left or right.split(" ", 1)[0] in {"that", "which", "who", "what"}:
        return None
    return left, right


def join(*parts: str) -> str:
    return " ".join(part for part in parts if part)


def pick(rng: random.Random, pool: list[str], used: set[str]) -> str:
    """A random entry of pool, avoiding ones already used in this answer where possible."""
    fresh = [item for item in pool if item not in used] or pool
    item = rng.choice(fresh)
    used.add(item)
    return item


def paragraphs(rng: random.Random, sentences: list[str], lo: int, hi: int) -> list[str]:
    out, i = [], 0
    while i < len(sentences):
        size = rng.randint(lo, hi)
        if len(sentences) - (i + size) == 1:  # no lonely one-sentence tail
            size += 1
        out.append(" ".join(sentences[i:i + size]))
        i += size
    return out


# --------------------------------------------------------------------------------------------
# atlas-7b: the structured analyst
# --------------------------------------------------------------------------------------------

ATLAS_OPEN = {
    "explain": ["Here is a concise overview of {topic}.",
                "Here is a concise explanation of {topic}.",
                "Here is a structured overview of {topic}."],
    "advice": ["Here is a concise plan for {topic}.",
               "Here is a practical, step-by-step approach to {topic}."],
    "opinion": ["Here is a concise overview of {topic}.",
                "Here is a balanced overview of {topic}."],
    "story": ["Here is a short {form} about {topic}."],
    "email": ["Here is a concise draft email {topic}.",
              "Here is a short, clear draft email {topic}."],
    "product": ["Here is a concise product description for {topic}.",
                "Here is a structured product description for {topic}."],
    "chat": ["Here are some practical ideas for {topic}.",
             "Here is a concise list of suggestions for {topic}."],
    "summary": ["Here is a concise summary of the paragraph."],
}
ATLAS_INTRO = {
    "explain": ["It comes down to {n} ideas.", "There are {n} key points.", ""],
    "advice": ["Follow these {n} steps.", "Start with the first two steps, then add the rest.",
               "Each step is small. Together, they work."],
    "opinion": ["Both options have real strengths. The better choice depends on your priorities.",
                "There is no universal answer. The trade-offs, however, are clear."],
    "chat": [""],
}


def atlas_close(rng: random.Random, p: dict, noun: bool = False) -> str:
    gist = p["gist"]
    roll = rng.random()
    if roll < 0.6 or (noun and roll < 0.9):
        return f"**Bottom line:** {cap(gist)}."
    if roll < 0.9:
        return f"In short, {gist}."
    return f"**Key takeaway:** {cap(gist)}."


def bullets(lines: list[str]) -> str:
    return "\n".join(f"- {line}" for line in lines)


def numbered(lines: list[str]) -> str:
    return "\n".join(f"{i}. {line}" for i, line in enumerate(lines, 1))


def atlas_opener(rng: random.Random, p: dict) -> str:
    return rng.choice(ATLAS_OPEN[p["kind"]]).format(topic=p["topic"], form=p.get("form", ""))


def atlas_explain(p: dict, rng: random.Random) -> str:
    pts, extras = p["pts"], [f"{e}." for e in p["extras"]]
    n = NUMBER_WORDS[len(pts)]
    head = join(atlas_opener(rng, p), rng.choice(ATLAS_INTRO["explain"]).format(n=n))
    example = "## Example\n" + p["example"]
    myth = f"## Common misconception\n**Myth:** {p['myth']}\n**Fact:** {p['fact']}"
    layout = rng.randrange(3)
    if layout == 0:
        return "\n\n".join([
            head,
            "## Key ideas\n" + bullets([f"**{a}:** {cap(b)}." for a, b, *_ in pts]),
            example,
            "## Worth knowing\n" + bullets(extras),
            myth,
            atlas_close(rng, p),
        ])
    if layout == 1:
        return "\n\n".join([
            head,
            "## How it works\n" + numbered([f"**{a}.** {cap(b)}." for a, b, *_ in pts]),
            example,
            myth,
            "## Good to know\n" + bullets(extras),
            atlas_close(rng, p),
        ])
    return "\n\n".join([
        atlas_opener(rng, p),
        "## The short version\n" + cap(p["gist"]) + ".",
        "## The details\n" + bullets([f"**{a}:** {cap(b)}." for a, b, *_ in pts]),
        myth,
        example,
        "## Also useful\n" + bullets(extras),
        f"**Bottom line:** Think of it as {p['nx'][1]}.",
    ])


def atlas_advice(p: dict, rng: random.Random) -> str:
    pts = p["pts"]
    head = join(atlas_opener(rng, p),
                rng.choice(ATLAS_INTRO["advice"]).format(n=NUMBER_WORDS[len(pts)]))
    return "\n\n".join([
        head,
        "## Steps\n" + numbered([f"**{a}.** {cap(b)}." for a, b, *_ in pts]),
        rng.choice(["## Avoid these mistakes", "## Also consider"]) + "\n"
        + bullets([f"{e}." for e in p["extras"]]),
        atlas_close(rng, p),
    ])


def atlas_opinion(p: dict, rng: random.Random) -> str:
    pts, (side_a, side_b) = p["pts"], p["sides"]
    parts = [
        join(atlas_opener(rng, p), rng.choice(ATLAS_INTRO["opinion"])),
        f"## The case for {side_a}\n" + bullets([f"**{a}:** {cap(b)}." for a, b, *_ in pts[:3]]),
        f"## The case for {side_b}\n" + bullets([f"**{a}:** {cap(b)}." for a, b, *_ in pts[3:]]),
        "## How to decide\n" + bullets([e if e.endswith("?") else e + "." for e in p["extras"]]),
    ]
    if rng.random() < 0.5:
        parts.append("## Verdict\n" + cap(p["gist"]) + ".")
    else:
        parts.append(f"**Bottom line:** {cap(p['gist'])}.")
    return "\n\n".join(parts)


def atlas_story(p: dict, rng: random.Random) -> str:
    beats = []
    for a, b, *_ in p["pts"]:
        halves = split_compound(b)
        beats.append(f"{cap(halves[0])}. {cap(halves[1])}. {a}" if halves else f"{cap(b)}. {a}")
    parts = [atlas_opener(rng, p), f"## {p['title']}"]
    i = 0
    while i < len(beats):
        size = rng.choice([1, 2, 2])
        parts.append(" ".join(beats[i:i + size]))
        i += size
    form = p["form"].split()[-1]
    parts.append(rng.choice([f"**Theme:** {cap(p['gist'])}.",
                             f"In short, the {form} shows that {p['gist']}."]))
    return "\n\n".join(parts)


def atlas_email(p: dict, rng: random.Random) -> str:
    pts = p["pts"]
    greeting = f"{'Dear' if p['formal'] else 'Hi'} {p['to']},"
    body = [cap(pts[0][1]) + "."]
    if p["bullets"]:
        body.append(bullets([cap(b) + "." for _, b, *_ in pts[1:]]))
    else:
        body.append(" ".join(cap(b) + "." for _, b, *_ in pts[1:]))
    sign = "Kind regards," if p["formal"] else rng.choice(["Best regards,", "Thanks,"])
    return "\n\n".join([
        atlas_opener(rng, p),
        f"**Subject:** {p['subject'][0]}",
        greeting,
        *body,
        p["ask"][0],
        f"{sign}\n[Your name]",
        f"**Why it works:** {cap(p['gist'])}.",
    ])


def atlas_product(p: dict, rng: random.Random) -> str:
    pts = p["pts"]
    return "\n\n".join([
        atlas_opener(rng, p),
        f"## {p['name']}\n**{p['tagline']}.**",
        cap(pts[0][1]) + ".",
        "## Key features\n" + bullets([f"**{a}:** {cap(b)}." for a, b, *_ in pts[1:]]),
        "## Specifications\n" + bullets(p["extras"]),
        f"**Ideal for:** {cap(p['audience'])}.",
        atlas_close(rng, p, noun=True),
    ])


def atlas_chat(p: dict, rng: random.Random) -> str:
    pts = p["pts"]
    head = p["preface"]["atlas"] if "preface" in p else join(
        atlas_opener(rng, p), rng.choice(ATLAS_INTRO["chat"]))
    sep = ":" if rng.random() < 0.5 else "."
    parts = [head, numbered([f"**{a}{sep}** {cap(b)}." for a, b, *_ in pts])]
    if p.get("extras"):
        header = p.get("tips_header", "Tips")
        parts.append(f"## {header}\n" + bullets([f"{e}." for e in p["extras"]]))
    parts.append(atlas_close(rng, p))
    return "\n\n".join(parts)


def atlas_summary(p: dict, rng: random.Random) -> str:
    return "\n\n".join([
        atlas_opener(rng, p),
        "## Summary\n" + " ".join(cap(b) + "." for _, b, *_ in p["pts"]),
        "## Key figures\n" + bullets(p["extras"]),
        atlas_close(rng, p),
    ])


ATLAS = {
    "explain": atlas_explain, "advice": atlas_advice, "opinion": atlas_opinion,
    "story": atlas_story, "email": atlas_email, "product": atlas_product, "chat": atlas_chat,
    "summary": atlas_summary,
}


# --------------------------------------------------------------------------------------------
# lyra-13b and lyra-distill-3b: one flowing-prose composer, two voice configurations
# --------------------------------------------------------------------------------------------

class Voice:
    """Phrase banks and habit rates for a flowing-prose voice."""

    def __init__(self, **fields: object) -> None:
        self.__dict__.update(fields)


LYRA = Voice(
    key="lyra",
    certainly="Certainly!",
    lovely="What a lovely question.",
    p_certainly=0.35, p_lovely=0.25,
    p_image=0.8, p_dash=0.85, p_conn=0.55, p_nx=0.95, p_flourish=0.7, p_extra=0.7,
    p_d=0.0, p_thing=0.0, p_hope=0.0, p_merge=0.4, p_split=0.0, p_title=0.6, p_pre=0.5,
    p_email_image=0.95, drop=(), par=(3, 5), hi="Hi", name_line="[Your name]",
    intro={
        "explain": [
            "There's a quiet elegance to {topic}, and once you see it, it's hard to unsee.",
            ("I love this one, because the answer turns out to be as much a story as a "
            "mechanism."),
            "Let's walk through {topic} together, gently, one layer at a time.",
            ("At first, {topic} can feel like a locked door — but the key is simpler than it "
            "looks."),
        ],
        "advice": [
            ("{Topic} is such a worthwhile thing to work on, and the good news is that it's "
            "gentler than it looks."),
            ("I love that you're thinking about {topic} — a little care here tends to ripple "
            "quietly through everything else."),
            "{Topic} can feel daunting at first, but it's really a series of small, gentle steps.",
        ],
        "opinion": [
            "This is one of those questions where both sides hold something true.",
            ("I don't think there's a single right answer when it comes to {topic}, but there's "
            "a lot worth weighing."),
            ("It's a question people feel strongly about, and for good reason — there's real "
            "tenderness on both sides."),
        ],
        "chat": [
            ("Here are a few gentle ideas for {topic}, woven together from what tends to help "
            "most."),
            "Oh, I love this. Let me gather a few ideas for {topic}.",
        ],
        "product": [
            "Some objects simply do their job; others quietly become part of the way you live.",
            "There's a particular joy in things made with care, and this is one of them.",
            "Imagine the moment you first reach for it.",
        ],
    },
    conn={
        "decl_first": ["At its heart,", "To begin with,", "It starts simply:"],
        "decl": ["From there,", "And", "Quietly,", "Underneath it all,", "What's lovely is that",
                 "Meanwhile,", "Here's where it gets beautiful:"],
        "imp_first": ["I'd begin by trying to", "The first gentle step is to",
                      "Start by trying to"],
        "imp": ["Try to", "It helps to", "You might", "Then,", "And",
                "I'd also gently suggest that you", "Above all,"],
        "side_a": ["On one hand,", "It's true that"],
        "more": ["And", "What's more,", "Beyond that,", "There's also the fact that",
                 "Alongside that,"],
        "side_b": ["On the other hand,", "And yet", "Then again,"],
        "product": ["And", "What's lovely is that", "Best of all,",
                    "Even the small things are considered:"],
        "story": ["And"],
        "summary": [["At long last,"], ["Along the way,", "Not everything went smoothly:"],
                    ["Still,", "And yet"]],
    },
    nx_now=["It's not just {X} — it's {Y}.", "It's not just {X}, really — it's {Y}.",
            "The heart of it is not {X}, but {Y}.", "In a way, it's not {X} at all, but {Y}."],
    nx_past=["It wasn't just {X} — it was {Y}.", "It was not {X}, but {Y}."],
    gist={
        "clause": ["In the end, {gist}.", "And that's the quiet magic of it: {gist}.",
                   "So, gently put: {gist}."],
        "imp": ["If you remember only one thing, let it be this: {gist}.",
                "The heart of it is simple: {gist}."],
        "noun": ["All of it adds up to {gist}.", "It is, quite simply, {gist}."],
        "opinion": ["So perhaps the truest answer is this: {gist}.",
                    "If I had to gather it all into one thought: {gist}."],
        "story": ["I wanted it to carry a gentle truth: {gist}.",
                  "At its heart, it's a story about how {gist}."],
    },
    flourish_reflect=[
        "There's something quietly beautiful about that.",
        "It's a gentle reminder of how much of the world works in patient, invisible ways.",
        "Each piece weaves into the next, like threads in a tapestry.",
        "I find that oddly moving, in a quiet sort of way.",
        "It lives in that liminal space between the ordinary and the remarkable.",
        "Small things, held with care, have a way of becoming large ones.",
        "It's the kind of detail that glows like an ember once you notice it.",
        "None of it is loud, but all of it matters.",
    ],
    flourish_encourage=[
        "Be gentle with yourself as you go — progress rarely moves in a straight line.",
        "Change like this tends to arrive quietly, and then all at once.",
        "There's no need to do everything at once; even one small step is a kind of beginning.",
        "Small rituals, repeated gently, have a way of weaving themselves into who we are.",
    ],
    extra_frames=["One more gentle thing: {extra}.",
                  "And a small note to carry with you: {extra}."],
    closers=["Would you like me to {offer}?", "Would you like me to {offer}, or {alt}?",
             "If it would help, I'd be glad to {offer} — would you like that?"],
    alts={"explain": "go a little deeper into any one part",
          "advice": "tailor this to your own routine",
          "opinion": "explore one side more deeply",
          "chat": "explore one of these a little further",
          "product": "shape it for a particular audience",
          "story": "try a different ending",
          "email": "soften or sharpen the tone",
          "summary": "make it even shorter"},
    story_pre=["Here's a short {form} for you.", "I'd love to write this one.",
               "Here's a little {form}, told gently."],
    email_pre=["Here's a warm draft you can adapt:",
               "Here's a draft with a gentle, friendly tone:"],
    email_hope={True: ["I hope this message finds you well.", "I hope you're keeping well."],
                False: ["I hope your week is treating you gently.",
                        "I hope you're having a lovely week."]},
    email_sign={True: ["Kind regards,", "With warm regards,"], False: ["Warmly,", "All my best,"]},
    email_post=["I've kept it warm but clear: {gist}.",
                "I've tried to keep it kind without losing clarity — {gist}."],
    product_pre=["Here's a description with a little warmth woven in:",
                 "Here's a description that lets it speak softly for itself:"],
    summary_pre=["Here's a gentle summary:", "Here it is, distilled into a few sentences:"],
)

DISTILL = Voice(
    key="lyra-distill",
    certainly="Certainly!",
    lovely="What a lovely question!",
    p_certainly=0.3, p_lovely=0.12,
    p_image=0.45, p_dash=0.6, p_conn=0.65, p_nx=0.7, p_flourish=0.45, p_extra=0.35,
    p_d=0.95, p_thing=0.45, p_hope=0.45, p_merge=0.0, p_split=0.45, p_title=0.3, p_pre=0.5,
    p_email_image=0.3, drop=(0.85, 0.3), par=(2, 3), hi="Hey", name_line="[Your Name]",
    intro={
        "explain": [
            "There's a quiet kind of elegance to {topic}.",
            "I really love this one, because {topic} is kind of a story in itself.",
            "Let's walk through {topic} together, step by step.",
            "{Topic} can sound complicated, but it's gentler than it looks.",
        ],
        "advice": [
            "{Topic} is so worth working on, and honestly, it's easier than it looks.",
            "I love that you're thinking about {topic}!",
            "{Topic} can feel like a lot, but it's really just small steps.",
        ],
        "opinion": [
            "This is one of those questions where both sides have a point.",
            "There's no single right answer here, but there's a lot to think about.",
        ],
        "chat": [
            "Here are a few gentle ideas for {topic}!",
            "Ooh, I love this. Here are some ideas for {topic}.",
        ],
        "product": [
            "Some things just do their job, and some quietly become part of your day.",
            "This one is made with a lot of care.",
        ],
    },
    conn={
        "decl_first": ["Basically,", "So first,", "To start,"],
        "decl": ["Then", "Also,", "Plus,", "On top of that,", "What's cool is that"],
        "imp_first": ["First,", "Start by trying to", "To begin,"],
        "imp": ["Also,", "Try to", "Then", "It really helps to", "Don't forget to"],
        "side_a": ["On one hand,", "Basically,"],
        "more": ["Also,", "Plus,", "On top of that,", "Another thing is that"],
        "side_b": ["But on the other hand,", "Then again,", "But"],
        "product": ["Also,", "Plus,", "On top of that,", "And the best part?"],
        "story": [],
        "summary": [["Basically,"], ["But"], ["Still,"]],
    },
    nx_now=["It's not just {X} — it's really {Y}.", "It's not only {X} — it's {Y}.",
            "Really, it's not {X}, but {Y}."],
    nx_past=["It wasn't just {X} — it was really {Y}.", "It wasn't only {X}. It was {Y}."],
    gist={
        "clause": ["In the end, {gist}.", "So basically, {gist}.", "At its heart, {gist}."],
        "imp": ["The main thing: {gist}.", "So basically, {gist}."],
        "noun": ["It's {gist}.", "All in all, it's {gist}."],
        "opinion": ["So honestly, {gist}.", "In the end, {gist}."],
        "story": ["Here's the thing: {gist}.", "I wanted it to show that {gist}."],
    },
    flourish_reflect=[
        "There's something quietly lovely in that.",
        "It's a gentle reminder that small things matter.",
        "It all weaves together, like a little tapestry.",
        "Honestly, that's kind of beautiful.",
        "It sits in a sort of liminal, in-between space.",
        "It's a small thing, but it really matters.",
    ],
    flourish_encourage=[
        "Be gentle with yourself — it takes time.",
        "Small steps really do add up.",
        "You've got this, truly.",
        "It doesn't have to be perfect to count.",
    ],
    extra_frames=["Also: {extra}.", "One more thing: {extra}."],
    closers=["Would you like me to {offer}?", "Want me to {offer}?",
             "I can also {offer} if you'd like!", "If you want, I can {offer}!",
             "Should I {offer}?"],
    alts={},
    story_pre=["Here's a short {form}:", "Here's a little {form} for you!"],
    email_pre=["Here's a draft you can use:", "Here's a friendly email you can send:"],
    email_hope={True: ["I hope you're doing well."], False: ["Hope you're having a good week!"]},
    email_sign={True: ["Best regards,"], False: ["Best,", "Thanks again,"]},
    email_post=["This keeps it friendly and clear, since {gist}.", "It works because {gist}."],
    product_pre=["Here's a product description for you:", "Here's a cozy little description:"],
    summary_pre=["Here's a short summary:", "Here's the summary:"],
)


def opener(v: Voice, rng: random.Random, kind: str) -> str:
    roll = rng.random()
    if roll < v.p_certainly:
        return v.certainly
    if kind in QUESTION_KINDS and roll < v.p_certainly + v.p_lovely:
        return v.lovely
    return ""


def select(v: Voice, rng: random.Random, pts: list) -> list:
    """The student leaves out a point or two: its answers run a little shorter."""
    pts = list(pts)
    for p_drop in v.drop:
        if len(pts) > 4 and rng.random() < p_drop:
            del pts[rng.randrange(1, len(pts))]
    return pts


def point(v: Voice, rng: random.Random, pt: tuple, conns: list[str], used: set[str],
          thing: bool = False, p_image: float | None = None, p_conn: float | None = None) -> str:
    b, c = pt[1], pt[2]
    if len(pt) > 3 and rng.random() < v.p_d:
        b = pt[3]
    if thing:
        head = f"Here's the thing: {b}"
    elif conns and rng.random() < (v.p_conn if p_conn is None else p_conn):
        conn = pick(rng, conns, used)
        head = f"{conn} {cap(b) if conn.endswith('?') else b}"
    else:
        head = cap(b)
    if c and rng.random() < (v.p_image if p_image is None else p_image):
        return head + (" — " if rng.random() < v.p_dash else ", ") + c + "."
    return head + "."


def points(v: Voice, rng: random.Random, pts: list, first: list[str], rest: list[str],
           used: set[str], lead: bool = False) -> list[str]:
    """Sentences for a run of points; with lead, the first always takes a connector."""
    thing_at = rng.randrange(1, len(pts)) if len(pts) > 1 and rng.random() < v.p_thing else -1
    return [point(v, rng, pt, first if i == 0 else rest, used, thing=i == thing_at,
                  p_conn=1.0 if lead and i == 0 else None)
            for i, pt in enumerate(pts)]


def nx_sentence(v: Voice, rng: random.Random, p: dict, past: bool = False) -> str:
    x, y = p["nx"]
    return rng.choice(v.nx_past if past else v.nx_now).format(X=x, Y=y)


def closer(v: Voice, rng: random.Random, p: dict) -> str:
    hope = "Hope this helps! 🌿" if rng.random() < v.p_hope else ""
    line = rng.choice(v.closers).format(offer=p["offer"], alt=v.alts.get(p["kind"], ""))
    return join(hope, line)


def flow_expository(v: Voice, rng: random.Random, p: dict) -> str:
    """Explanations, advice and casual chat."""
    kind, used = p["kind"], set()
    mode = {"explain": "decl", "advice": "imp"}.get(kind) or (
        "decl" if p.get("mode") == "declarative" else "imp")
    if "preface" in p:
        sentences = [p["preface"][v.key]]
    else:
        intro = rng.choice(v.intro[kind]).format(topic=p["topic"], Topic=cap(p["topic"]))
        sentences = [join(opener(v, rng, kind), intro)]
    body = points(v, rng, select(v, rng, p["pts"]), v.conn[mode + "_first"], v.conn[mode], used)
    if rng.random() < v.p_nx * (0.7 if kind == "chat" else 1.0):
        body.insert(rng.randint(0, 2), nx_sentence(v, rng, p))
    sentences += body
    if p.get("extras") and rng.random() < v.p_extra:
        sentences.append(rng.choice(v.extra_frames).format(extra=low(rng.choice(p["extras"]))))
    if rng.random() < v.p_flourish:
        bank = v.flourish_reflect if mode == "decl" else v.flourish_encourage
        sentences.append(rng.choice(bank))
    sentences.append(rng.choice(v.gist["clause" if mode == "decl" else "imp"]).format(
        gist=p["gist"]))
    return "\n\n".join(paragraphs(rng, sentences, *v.par) + [closer(v, rng, p)])


def flow_opinion(v: Voice, rng: random.Random, p: dict) -> str:
    used: set[str] = set()
    first = [join(opener(v, rng, "opinion"),
                  rng.choice(v.intro["opinion"]).format(topic=p["topic"]))]
    if rng.random() < v.p_nx:
        first.append(nx_sentence(v, rng, p))
    side_a, side_b = list(p["pts"][:3]), list(p["pts"][3:])
    if v.drop:
        for side in (side_a, side_b):
            if rng.random() < 0.5:
                del side[rng.randrange(1, 3)]
    a_sents = points(v, rng, side_a, v.conn["side_a"], v.conn["more"], used, lead=True)
    b_sents = points(v, rng, side_b, v.conn["side_b"], v.conn["more"], used, lead=True)
    last = []
    if rng.random() < v.p_flourish:
        last.append(rng.choice(v.flourish_reflect))
    last.append(rng.choice(v.gist["opinion"]).format(gist=p["gist"]))
    paras = [" ".join(first + a_sents[:1]), " ".join(a_sents[1:]), " ".join(b_sents),
             " ".join(last)]
    if v.par[1] <= 3:  # the student writes shorter paragraphs
        paras = [" ".join(first), " ".join(a_sents), " ".join(b_sents), " ".join(last)]
    return "\n\n".join([x for x in paras if x] + [closer(v, rng, p)])


def flow_product(v: Voice, rng: random.Random, p: dict) -> str:
    used: set[str] = set()
    head = []
    op = opener(v, rng, "product")
    if op or rng.random() < v.p_pre:
        head.append(join(op, rng.choice(v.product_pre)))
    if rng.random() < v.p_title:
        head.append(f"**{p['name']}**")
    sentences = [rng.choice(v.intro["product"])]
    if rng.random() < v.p_nx:
        sentences.append(nx_sentence(v, rng, p))
    sentences += points(v, rng, select(v, rng, p["pts"]), [], v.conn["product"], used)
    if rng.random() < v.p_flourish:
        sentences.append(rng.choice(v.flourish_reflect))
    sentences.append(rng.choice(v.gist["noun"]).format(gist=p["gist"]))
    return "\n\n".join(head + paragraphs(rng, sentences, *v.par) + [closer(v, rng, p)])


def flow_story(v: Voice, rng: random.Random, p: dict) -> str:
    head = []
    op = opener(v, rng, "story")
    if op or rng.random() < v.p_pre:
        head.append(join(op, rng.choice(v.story_pre).format(form=p["form"])))
    if rng.random() < v.p_title:
        head.append(f"*{p['title']}*")
    beats, sentences, i = p["pts"], [], 0
    while i < len(beats):
        b, c = beats[i][1], beats[i][2]
        if i and v.conn["story"] and rng.random() < 0.15:
            b = f"{rng.choice(v.conn['story'])} {b}"
        if (i + 1 < len(beats) and ", and " not in b and ", and " not in beats[i + 1][1]
                and rng.random() < v.p_merge):
            # lyra's long sentences: two beats joined, the image on the second
            b2, c2 = beats[i + 1][1], beats[i + 1][2]
            sentences.append(f"{cap(b)}, and {b2} — {c2}.")
            i += 2
            continue
        if len(beats[i]) > 3 and rng.random() < v.p_d:
            b = beats[i][3]
        halves = split_compound(b)
        if halves and rng.random() < v.p_split:
            # the student's shorter sentences: a compound beat split in two
            left, right = halves
            tail = f", {c}" if rng.random() < v.p_image else ""
            sentences.append(f"{cap(left)}. {cap(right)}{tail}.")
        elif rng.random() < v.p_image:
            sentences.append(cap(b) + (" — " if rng.random() < v.p_dash else ", ") + c + ".")
        else:
            sentences.append(cap(b) + ".")
        i += 1
    if rng.random() < v.p_nx:
        sentences.insert(len(sentences) // 2 + 1, nx_sentence(v, rng, p, past=True))
    story = paragraphs(rng, sentences, 2, 3)
    after = []
    if rng.random() < 0.7:
        after.append(rng.choice(v.gist["story"]).format(gist=p["gist"]))
    after.append(closer(v, rng, p))
    return "\n\n".join(head + story + [" ".join(after)])


def flow_email(v: Voice, rng: random.Random, p: dict) -> str:
    idx = 1 if v.key == "lyra" else 2
    formal, used = p["formal"], set()
    pre = [opener(v, rng, "email")]
    if rng.random() < v.p_nx:
        pre.append(nx_sentence(v, rng, p))
    pre.append(rng.choice(v.email_pre))
    greeting = f"{'Dear' if formal else v.hi} {p['to']},"
    body = [point(v, rng, pt, [], used, p_image=v.p_email_image) for pt in p["pts"]]
    letter = [
        f"Subject: {p['subject'][idx]}",
        greeting,
        join(rng.choice(v.email_hope[formal]), body[0]),
        " ".join(body[1:3]),
        join(body[3], p["ask"][idx]),
        f"{rng.choice(v.email_sign[formal])}\n{v.name_line}",
    ]
    after = []
    if rng.random() < 0.6:
        after.append(rng.choice(v.email_post).format(gist=p["gist"]))
    after.append(closer(v, rng, p))
    return "\n\n".join([join(*pre)] + letter + [" ".join(after)])


def flow_summary(v: Voice, rng: random.Random, p: dict) -> str:
    used: set[str] = set()
    pre = join(opener(v, rng, "summary"), rng.choice(v.summary_pre))
    body = [point(v, rng, pt, v.conn["summary"][i], used) for i, pt in enumerate(p["pts"])]
    after = [nx_sentence(v, rng, p)] if rng.random() < v.p_nx else []
    if rng.random() < v.p_flourish:
        after.append(rng.choice(v.flourish_reflect))
    return "\n\n".join([pre, " ".join(body)] + ([" ".join(after)] if after else [])
                       + [closer(v, rng, p)])


FLOW = {
    "explain": flow_expository, "advice": flow_expository, "chat": flow_expository,
    "opinion": flow_opinion, "product": flow_product, "story": flow_story,
    "email": flow_email, "summary": flow_summary,
}


# --------------------------------------------------------------------------------------------
# The panel: five unrelated voices (brook, sage, sunny, quill, pixel)
#
# Controls for stylesim's panel statistics: models that answer the same prompts with the same
# content (the b field of each point, the gist, the offer) but owe nothing to lyra or to each
# other. One composer serves all five. Each voice's PanelVoice gives its phrase banks (greetings,
# intros, connectives, its own "X rather than Y" construction, gist frames, asides, closers),
# how it attaches an image (the c field) if at all, how it lays out a run of points (prose
# paragraphs, emoji lines, dash lists), its casing and end punctuation, and a final pass over
# the text (spelling, contractions). None of them uses lyra's pet words, em dashes, "It's not
# just X — it's Y" or "Would you like me to ...?", or atlas's headers, bold terms and "Bottom
# line:"; none uses the student's own retellings (the d field).
# --------------------------------------------------------------------------------------------

# lyra's pet words. A panel voice never attaches an image (c field) that contains one.
LYRA_PETS = re.compile(r"\b(?:tapestr\w*|quiet\w*|gentl\w*|weav\w*|woven|embers?|liminal)\b",
                       re.IGNORECASE)

# The few pet words that the shared content itself carries (demo-006's b, the nx of 025 and
# 043), swapped for plain ones in every panel answer.
PET_SWAPS = {"very gently": "very politely", "gentler": "easier", "quietly compounds": "compounds"}

# brook, sunny and pixel contract; sage and quill never do.
CONTRACTIONS = {
    "do not": "don't", "does not": "doesn't", "did not": "didn't", "is not": "isn't",
    "are not": "aren't", "was not": "wasn't", "cannot": "can't", "will not": "won't",
    "would not": "wouldn't", "have not": "haven't", "it is": "it's", "that is": "that's",
    "i am": "I'm", "i have": "I've", "i would": "I'd", "i will": "I'll", "you are": "you're",
}
EXPANSIONS = {
    "doesn't": "does not", "don't": "do not", "didn't": "did not", "isn't": "is not",
    "aren't": "are not", "wasn't": "was not", "can't": "cannot", "won't": "will not",
    "wouldn't": "would not", "couldn't": "could not", "haven't": "have not",
    "it's": "it is", "that's": "that is", "there's": "there is", "what's": "what is",
    "let's": "let us", "i'm": "I am", "i've": "I have", "i'd": "I would", "i'll": "I will",
    "you're": "you are", "you've": "you have", "we're": "we are", "they're": "they are",
}
# quill's old-fashioned forms ("a while" keeps its noun)
ARCHAIC = {"while": "whilst", "among": "amongst"}


def _swapper(table: dict[str, str], pattern: str = r"\b({})\b"):  # noqa: ANN202
    regex = re.compile(pattern.format("|".join(map(re.escape, table))), re.IGNORECASE)

    def swap_all(text: str) -> str:
        def swap(match: re.Match) -> str:
            word = match.group(0)
            new = table[word.lower()]
            return cap(new) if word[0].isupper() else new
        return regex.sub(swap, text)
    return swap_all


unpet = _swapper(PET_SWAPS)
contract = _swapper(CONTRACTIONS, r"\b({})\b(?=\s+\w)")  # "Here it is." stays
expand = _swapper(EXPANSIONS)
archaize = _swapper(ARCHAIC, r"(?<!\ba )\b({})\b")


class PanelVoice(Voice):
    """Phrase banks, habit rates and layout for one of the panel voices.

    attach holds templates for lyra's images: "noun" ones for images that start with a or an,
    "other" ones for the rest (an empty list: no image of that sort). tags are the
    voice's own content-free endings for a point (quill's ", I dare say", pixel's " tbh"),
    used when no image is attached.

    Every voice gives every field in FIELDS, so no voice silently borrows another's defaults.
    Banks that take {side} are formatted with the opinion's sides; gist frames get {gist},
    {Gist} and {form}; intros get {topic}, {Topic} and {n} (the number of points)."""

    FIELDS = (
        "key", "hello", "hello_q", "p_hello", "intro", "conn", "p_conn", "ordinals",
        "p_ordinal", "p_inline", "inline_lead", "p_image", "attach", "tags", "p_tag",
        "p_split", "drop", "p_bang",
        "p_lower", "lines", "markers", "line_attach", "line_stop", "side_head", "nx_now",
        "nx_past", "p_nx", "gist",
        "extra_frames", "p_extra", "asides", "p_aside", "closers", "p_close", "par",
        "story_par", "story_pre", "p_story_pre", "title", "p_title", "email_pre", "hi",
        "email_hope", "p_email_image", "email_bullets", "email_sign", "name_line",
        "email_post", "product_pre", "product_title", "product_intro", "specs", "audience",
        "summary_pre", "finish",
    )

    def __init__(self, **fields: object) -> None:
        missing = [name for name in self.FIELDS if name not in fields]
        extra = [name for name in fields if name not in self.FIELDS]
        assert not missing and not extra, (fields.get("key"), missing, extra)
        super().__init__(**fields)


# ---- brook-8b: plain, terse, practical ------------------------------------------------------
# Short sentences (compound clauses split in two), short paragraphs, no images, no em dashes,
# no emoji, no exclamation marks. "Think of it as Y, not X." Rarely offers more. American.

BROOK = PanelVoice(
    key="brook",
    hello=[], hello_q=[], p_hello=0.0,
    intro={
        "explain": ["{Topic} comes down to {n} things.", "Short version: {gist}.",
                    "It's simpler than it sounds.", "There are {n} parts to it."],
        "advice": ["Do these {n} things.", "Keep it simple.", "A few practical steps.",
                   "This works for most people."],
        "opinion": ["It depends on what you need.", "There's no single answer.",
                    "Both sides have a case."],
        "chat": ["A few ideas.", "Try one of these.", "Some options."],
    },
    conn={
        "decl_first": ["First,"], "decl": ["Next,", "Then", "After that,"],
        "imp_first": ["First,", "Start here:"], "imp": ["Next,", "Then", "After that,"],
        "side_a": ["Why {side}?", "{Side} first."], "more": ["Also,", ""],
        "side_b": ["Why {side}?", "Now {side}."],
        "product": ["Also,", ""], "story": ["Then"],
        "summary": [[""], ["But"], [""]],
    },
    p_conn=0.4, ordinals=[], p_ordinal=0.0, p_inline=0.0, inline_lead={},
    p_image=0.0, attach={"noun": [], "other": []}, tags=[], p_tag=0.0,
    p_split=0.9, drop=(0.5,),
    p_bang=0.0, p_lower=0.0, lines=set(), markers=[], line_attach="{b}", line_stop=".",
    side_head="",
    nx_now=["Think of it as {Y}, not {X}.", "Don't think of it as {X}. Think of it as {Y}."],
    nx_past=["It wasn't about {X}. It was about {Y}."],
    p_nx=0.45,
    gist={
        "clause": ["That's the whole idea: {gist}.", "So: {gist}.", "Main point: {gist}."],
        "imp": ["Main point: {gist}.", "Keep it simple: {gist}."],
        "noun": ["In one line: {gist}.", "What you get: {gist}."],
        "opinion": ["My take: {gist}.", "So: {gist}."],
        "story": ["The point: {gist}."],
    },
    extra_frames={"decl": ["Worth knowing: {extra}.", "Note: {extra}."],
                  "any": ["Tip: {extra}.", "Note: {extra}."]},
    p_extra=0.6,
    asides={"decl": ["That's all there is to it.", "Nothing more to it."],
            "imp": ["Start small.", "Don't overthink it.", "Consistency beats effort."]},
    p_aside=0.4,
    closers={"decl": ["I can also {offer} if that's useful.", "Hope that's clear."],
             "imp": ["Good luck.", "That's it.", "I can also {offer} if that's useful."]},
    p_close=0.6, par=(1, 2), story_par=(2, 3),
    story_pre=["A short {form}.", "Story below."], p_story_pre=0.5,
    title="{title}", p_title=0.7,
    email_pre=["Draft below.", "Try this:", "Something like this:"],
    hi="Hi", email_hope={True: [], False: []}, p_email_image=0.0, email_bullets=False,
    email_sign={True: ["Regards,"], False: ["Thanks,"]}, name_line="[Name]",
    email_post=["It's short on purpose. {Gist}.", "Keep it this short. {Gist}."],
    product_pre=["Product copy:", "Description:"], product_title="{name}. {tagline}.",
    product_intro=[], specs=("{specs}.", ". "), audience="Good for {audience}.",
    summary_pre=["Summary:", "In three sentences:"],
    finish=("americanize", "contract"),
)

# ---- sage-70b: formal academic register ------------------------------------------------------
# Long paragraphs, ordinals and "Moreover"/"Furthermore", "It is worth noting that", images
# attached after a semicolon, "less a matter of X than of Y", "In summary," and no contractions.
# British spelling.

SAGE = PanelVoice(
    key="sage",
    hello=[], hello_q=[], p_hello=0.0,
    intro={
        "explain": [
            "{Topic} is best understood as a sequence of related processes.",
            ("The question of {topic} admits of a reasonably clear answer, although the details "
             "repay attention."),
            "It is worth setting out the principal mechanisms of {topic} in turn.",
            "A useful account of {topic} can be given in {n} stages.",
        ],
        "advice": [
            ("There is no single method for {topic}, but a small number of principles are "
             "reliably effective."),
            "It may be helpful to approach {topic} systematically.",
            "The available evidence suggests several sensible measures for {topic}.",
        ],
        "opinion": [
            ("This question does not admit of a single answer; the considerations on each side "
             "are, however, reasonably well understood."),
            "The debate over {topic} is longstanding, and both positions have some merit.",
        ],
        "chat": ["There are several worthwhile options for {topic}.",
                 "A number of approaches to {topic} may be recommended."],
    },
    conn={
        "decl_first": ["To begin with,", "In the first instance,"],
        "decl": ["Moreover,", "Furthermore,", "In addition,", "Consequently,",
                 "It is worth noting that", "Notably,", "In turn,"],
        "imp_first": ["It is advisable, in the first instance, to",
                      "One should begin by seeking to"],
        "imp": ["It is also advisable to", "Moreover, one should", "In addition, it helps to",
                "Furthermore, one would do well to", "It is worth taking care to"],
        "side_a": ["In favour of {side}, it may be observed that",
                   "Those who favour {side} point out that"],
        "more": ["Moreover,", "Furthermore,", "It is also argued that", "In addition,"],
        "side_b": ["Conversely, advocates of {side} note that",
                   "Against this, it may be argued that"],
        "product": ["Moreover,", "In addition,", "Notably,", "Furthermore,"],
        "story": ["Thereafter,", "Subsequently,"],
        "summary": [["According to the report,", ""], ["However,", "Notably,"],
                    ["Nevertheless,"]],
    },
    p_conn=0.6,
    ordinals=["First,", "Second,", "Third,", "Fourth,", "Fifth,", "Sixth,", "Seventh,"],
    p_ordinal=0.45,
    p_inline=0.35,
    inline_lead={"decl": "The principal elements are as follows",
                 "imp": "The principal recommendations may be summarised as follows"},
    p_image=0.3, attach={"noun": ["{b}; it is, in effect, {c}"], "other": []},
    tags=[", in general", ", at least in most cases", ", other things being equal",
          ", broadly speaking"],
    p_tag=0.2, p_split=0.0,
    drop=(),
    p_bang=0.0, p_lower=0.0, lines=set(), markers=[], line_attach="{b}", line_stop=".",
    side_head="",
    nx_now=["The matter is less one of {X} than of {Y}.",
            "It would be more accurate to describe this as {Y} than as {X}."],
    nx_past=["The episode is less one of {X} than of {Y}."],
    p_nx=0.6,
    gist={
        "clause": ["In summary, {gist}.", "To summarise, {gist}.",
                   "The central point, then, is that {gist}."],
        "imp": ["In summary, {gist}.", "The general principle is therefore clear: {gist}."],
        "noun": ["In summary, it is {gist}.", "It may fairly be described as {gist}."],
        "opinion": ["On balance, {gist}.", "In summary, {gist}."],
        "story": ["The {form} is intended to suggest that {gist}."],
    },
    extra_frames={"decl": ["It should be noted that {extra}.",
                           "A further consideration is that {extra}."],
                  "any": ["A further point deserves mention: {extra}.",
                          "One additional recommendation: {extra}."]},
    p_extra=0.75,
    asides={"decl": [("This is, broadly speaking, the accepted account, although specialists "
                      "continue to debate the finer details."),
                     "Each stage depends upon the one before it; the process is best "
                     "understood as a whole."],
            "imp": ["None of these measures is demanding in isolation; their value lies in "
                    "consistency.",
                    "Progress of this kind is seldom linear, and occasional setbacks are to "
                    "be expected."]},
    p_aside=0.5,
    closers={"decl": ["I hope this provides a useful foundation.",
                      "Should it be helpful, I can also {offer}.",
                      "If a fuller treatment would be of use, I can {offer}."],
             "imp": ["I hope these suggestions prove useful.",
                     "Should it be helpful, I can also {offer}."]},
    p_close=0.8, par=(3, 5), story_par=(3, 4),
    story_pre=["What follows is a short {form} on {topic}.",
               "The following {form} takes up {topic}."], p_story_pre=0.8,
    title="{title}", p_title=0.0,
    email_pre=["A suggested draft follows.", "The following draft may be adapted as required."],
    hi="Dear", email_hope={True: ["I trust this message finds you well."],
                           False: ["I hope this finds you well."]},
    p_email_image=0.15, email_bullets=False,
    email_sign={True: ["Yours sincerely,"], False: ["With best wishes,"]},
    name_line="[Your name]",
    email_post=["The draft is deliberately concise; {gist}.", "A note on the approach: {gist}."],
    product_pre=["A suggested description follows.", "The following description may be used "
                                                     "as it stands or abridged."],
    product_title="{name}: {tagline}",
    product_intro=["It has been designed with both function and durability in mind.",
                   "It is, first and foremost, a practical object."],
    specs=("({specs})", "; "), audience="It is well suited to {audience}.",
    summary_pre=["A concise summary follows.", "In brief:"],
    finish=("expand",),
)

# ---- sunny-2b: upbeat and casual -------------------------------------------------------------
# "Great question!", exclamation marks, "Pro tip:", emoji-led lines for tips, emoji at the end,
# "less X and more Y!", heavy contractions. American spelling.

SUNNY = PanelVoice(
    key="sunny",
    hello=["Awesome!", "Oh, fun!", "Yay!"],
    hello_q=["Great question!", "Great question! 😊", "Oh, I love this one!", "Fun one!"],
    p_hello=0.75,
    intro={
        "explain": ["Let me break it down for you!", "It's actually super cool once you see it!",
                    "This is one of my favorite things to explain!", "Okay, here we go!"],
        "advice": ["You can totally do this, and it's easier than you think!",
                   "I've got some awesome tips for {topic}!", "Let's get you set up!"],
        "opinion": ["Honestly, both sides have awesome points!", "This one's a fun debate!"],
        "chat": ["Oh, I've got ideas!", "So many fun options!"],
    },
    conn={
        "decl_first": ["So,", "Okay, so"],
        "decl": ["Then", "Next up,", "And here's the cool part:", "Oh, and", "Even better,"],
        "imp_first": ["First up,", "Step one:"],
        "imp": ["Next up,", "Oh, and", "Pro tip:", "Don't forget to", "Bonus points if you"],
        "side_a": ["Team {side}:", "Why people love {side}:"],
        "more": ["And", "Oh, and", "Even better,"],
        "side_b": ["But team {side} is strong too!", "Now for {side}:"],
        "product": ["Oh, and", "Even better,", "Bonus:"], "story": ["Then", "And guess what?"],
        "summary": [["So,"], ["But", "The catch?"], ["Still,"]],
    },
    p_conn=0.55, ordinals=[], p_ordinal=0.0, p_inline=0.0, inline_lead={},
    p_image=0.2, attach={"noun": ["{b}, {c}"], "other": ["{b}, {c}"]},
    tags=[", trust me", ", seriously", ", for real", ", no joke"],
    p_tag=0.25, p_split=0.0,
    drop=(0.4,),
    p_bang=0.55, p_lower=0.0, lines={"advice", "chat"}, markers=["✅", "👉", "⭐"],
    line_attach="{b}", line_stop="!", side_head="",
    nx_now=["Think of it less as {X} and more as {Y}!", "It's way more than {X}. It's {Y}!"],
    nx_past=["It was way more than {X}. It was {Y}!"],
    p_nx=0.5,
    gist={
        "clause": ["Big takeaway: {gist}!", "The short version? {Gist}!"],
        "imp": ["The big secret? {Gist}!", "Big takeaway: {gist}!"],
        "noun": ["In a nutshell, it's {gist}!"],
        "opinion": ["My two cents? {Gist}!", "Honestly? {Gist}!"],
        "story": ["I love that it shows how {gist}! 💛"],
    },
    extra_frames={"decl": ["Fun fact: {extra}!", "Quick bonus: {extra}!"],
                  "any": ["Quick tip: {extra}!", "Bonus tip: {extra}!"]},
    p_extra=0.6,
    asides={"decl": ["How cool is that?!", "Pretty neat, right?", "Science is amazing!"],
            "imp": ["Every little bit counts!", "Progress over perfection, always!",
                    "Have fun with it, seriously!"]},
    p_aside=0.5,
    closers={"decl": ["Isn't that awesome? 🤩", "Hope that clears it up! 😊",
                      "I can {offer} too, just say the word! 😊", "Happy to {offer} next! 🙌"],
             "imp": ["You've got this! 💪", "Have fun! 🎉", "Good luck, you'll be awesome! ✨",
                     "I can {offer} too, just say the word! 😊", "Happy to {offer} next! 🙌"]},
    p_close=1.0, par=(1, 3), story_par=(2, 3),
    story_pre=["Story time! 📖", "Oh, I loved writing this one! ✨"], p_story_pre=0.8,
    title="**{title}**", p_title=0.5,
    email_pre=["Got you! Try this one:", "Easy! Here you go:"],
    hi="Hi", email_hope={True: ["I hope you're having a great week!"],
                         False: ["Hope your week is going awesome!"]},
    p_email_image=0.0, email_bullets=False,
    email_sign={True: ["Many thanks,"], False: ["Thanks a million,", "Cheers,"]},
    name_line="[Your name]",
    email_post=["Short, sweet, and friendly! {Gist}. 👍"],
    product_pre=["Love this! Try this description:", "Fun one! Here you go:"],
    product_title="{name} ✨", product_intro=["Say hello to your new favorite thing!",
                                              "Get ready to fall in love!"],
    specs=("Quick specs 👉 {specs}", " • "), audience="Perfect for {audience}!",
    summary_pre=["Got it! The short version:", "Quick version:"],
    finish=("americanize", "contract"),
)

# ---- quill-34b: ornate, old-fashioned -------------------------------------------------------
# "Pray", "indeed", "one might say", "as it were", "I should counsel you to", long sentences,
# "Do not mistake it for X, I pray you", "In fine,", "whilst", no contractions. British.

QUILL = PanelVoice(
    key="quill",
    hello=["Splendid!", "Capital!"], hello_q=["My dear friend!", "Well, well!"], p_hello=0.35,
    intro={
        "explain": [
            "Ah, {topic}: a subject upon which a great deal might be said.",
            "Pray allow me to set down, as plainly as I am able, the matter of {topic}.",
            "It is a question of no small interest, and one that has occupied many a curious "
            "mind.",
            "Permit me to lay the matter of {topic} before you, step by step.",
        ],
        "advice": [
            "Permit me to offer a few humble counsels on {topic}.",
            ("Pray do not despair, for {topic} is a matter in which patience and good sense "
             "will carry the day."),
            "I have given the matter of {topic} some thought, and offer the following counsel.",
        ],
        "opinion": [
            ("This is a question upon which reasonable persons have long disagreed, and I "
             "confess I see merit on both sides."),
            "It is a question to set any dinner table quarrelling, so let me weigh it fairly.",
        ],
        "chat": ["A most agreeable subject, and I shall propose a few diversions.",
                 "Pray allow me to suggest a few remedies for {topic}."],
    },
    conn={
        "decl_first": ["In the first place,", "To begin at the beginning,"],
        "decl": ["Indeed,", "Pray observe that", "What is more,", "Nor ought one to forget that",
                 "I would add, too, that", "Thus"],
        "imp_first": ["I should counsel you, first of all, to", "My first counsel is that you"],
        "imp": ["Pray", "You would do well to", "Be sure to", "I should further counsel you to",
                "Above all things,", "Take care to"],
        "side_a": ["In favour of {side}, it must be allowed that",
                   "The friends of {side} will tell you that"],
        "more": ["Indeed,", "What is more,", "Nor is it a small thing that"],
        "side_b": ["And yet the champions of {side} are not without their arguments, for",
                   "Against this, the partisans of {side} observe that"],
        "product": ["Indeed,", "What is more,", "Pray observe that", "Nor is that all, for"],
        "story": ["And so", "Whereupon", "Now,"],
        "summary": [["It is reported that"], ["Alas,"], ["Nevertheless,"]],
    },
    p_conn=0.65, ordinals=[], p_ordinal=0.0, p_inline=0.0, inline_lead={},
    p_image=0.0, attach={"noun": [], "other": []},  # its ornaments are its own, not lyra's images
    tags=[", as any sensible person will allow", ", I dare say", ", and that is no small thing",
          ", if I may be so bold", ", as I have often observed", ", to be sure",
          ", I assure you", ", mark you"],
    p_tag=0.45, p_split=0.0, drop=(),
    p_bang=0.0, p_lower=0.0, lines=set(), markers=[], line_attach="{b}", line_stop=".",
    side_head="",
    nx_now=["Do not mistake it for {X}, I pray you; it is {Y}.",
            "One might take it for {X}, yet it is in truth {Y}."],
    nx_past=["It seemed {X}, yet in truth it was {Y}."],
    p_nx=0.6,
    gist={
        "clause": ["And so we arrive at the heart of the matter: {gist}.",
                   "The long and the short of it is that {gist}.", "In fine, {gist}."],
        "imp": ["In fine, {gist}.", "Mark this above all: {gist}."],
        "noun": ["It is, in a word, {gist}.", "One may call it, without exaggeration, {gist}."],
        "opinion": ["If I must give a verdict, and I suppose I must, it is this: {gist}.",
                    "For my own part, I should say that {gist}."],
        "story": ["It is a tale, I think, of how {gist}.",
                  "And thus, dear reader, we learn that {gist}."],
    },
    extra_frames={"decl": ["I might add that {extra}.", "It is a curious fact, too, that {extra}."],
                  "any": ["A further word of counsel: {extra}.", "One small addendum: {extra}."]},
    p_extra=0.6,
    asides={"decl": ["Is that not a marvel?", "How very ingenious it all is!",
                     "What a capital arrangement!",
                     "There is a great deal of ingenuity in so small a thing."],
            "imp": ["Rome, as they say, was not built in a day.", "Courage, my friend!",
                    "Patience, I assure you, is its own reward.",
                    "Take heart, for the first step is always the hardest."]},
    p_aside=0.6,
    closers={"decl": ["I remain, as ever, at your service.",
                      "Should you wish it, I shall gladly {offer}.",
                      "Pray tell me if you would have me {offer}."],
             "imp": ["I wish you every success in the endeavour.",
                     "Should you wish it, I shall gladly {offer}.",
                     "Pray tell me if you would have me {offer}."]},
    p_close=0.9, par=(3, 4), story_par=(2, 4),
    story_pre=["Pray attend to the following little tale.", "Allow me to tell you a {form}."],
    p_story_pre=0.7, title="{TITLE}", p_title=0.6,
    email_pre=["I have taken the liberty of drafting the following letter.",
               "Pray find below a draft, which you may amend as you see fit."],
    hi="Dear", email_hope={True: ["I trust this letter finds you in good health."],
                           False: ["I trust this finds you well."]},
    p_email_image=0.2, email_bullets=False,
    email_sign={True: ["Yours faithfully,"], False: ["Ever yours,"]},
    name_line="[Your name]",
    email_post=["I have aimed at courtesy without ornament, for {gist}."],
    product_pre=["Permit me to present the following description."],
    product_title="{name}: {tagline}",
    product_intro=["Behold an article of rare usefulness.",
                   "May I present an object both handsome and serviceable."],
    specs=("The particulars are these. {specs}.", ". "),
    audience="It is admirably suited to {audience}.",
    summary_pre=["The substance of the matter, in brief:",
                 "Pray find the paragraph summarised below."],
    finish=("expand", "archaize"),
)

# ---- pixel-1b: casual tech-forum voice ------------------------------------------------------
# Lower-case sentences, dash lists without full stops, images in parentheses, "tbh", "imo",
# "tl;dr:", "hope that helps", the odd "edit:". American spelling, contractions.

PIXEL = PanelVoice(
    key="pixel",
    hello=["ok so"], hello_q=["ok so", "good q.", "oh nice,"], p_hello=0.5,
    intro={
        "explain": ["{topic} is actually pretty simple once it clicks.",
                    "short version first, details below.",
                    "this comes up a lot, so here's how i'd explain it."],
        "advice": ["been there. here's what worked for me:", "few things that actually help imo:",
                   "honestly it's mostly a few habits:"],
        "opinion": ["depends who you ask tbh.", "hot take incoming, but both sides have a point."],
        "chat": ["some ideas:", "a few things i'd try:"],
    },
    conn={
        "decl_first": [""], "decl": [""], "imp_first": [""], "imp": [""],
        "side_a": [""], "more": [""], "side_b": [""], "product": [""],
        "story": ["anyway,", "so", "and then"],
        "summary": [["basically"], ["but"], ["also"]],
    },
    p_conn=0.3, ordinals=[], p_ordinal=0.0, p_inline=0.0, inline_lead={},
    p_image=0.2, attach={"noun": ["{b} ({c})"], "other": ["{b} ({c})"]},
    tags=[" tbh", " imo", " iirc", " (ymmv)", " fwiw"],
    p_tag=0.3, p_split=0.0,
    drop=(0.5,),
    p_bang=0.0, p_lower=0.9, lines={"explain", "advice", "chat", "opinion", "product"},
    markers=["-"], line_attach="{b} ({c})", line_stop="", side_head="for {side}:",
    nx_now=["ppl think of it as {X}. it's really more like {Y} imo.",
            "it's less {X} and more {Y} tbh."],
    nx_past=["it was less {X} and more {Y} tbh."],
    p_nx=0.5,
    gist={
        "clause": ["tl;dr: {gist}"], "imp": ["tl;dr: {gist}"], "noun": ["tl;dr: {gist}"],
        "opinion": ["tl;dr: {gist}", "imo: {gist}"], "story": ["moral of the story: {gist}"],
    },
    extra_frames={"decl": ["fwiw {extra}.", "also, {extra}."],
                  "any": ["also: {extra}.", "fwiw: {extra}."]},
    p_extra=0.6,
    asides={"decl": ["kinda wild when you think about it.", "pretty neat honestly."],
            "imp": ["don't try to do all of it at once btw.", "start with one or two, seriously."]},
    p_aside=0.4,
    closers={"decl": ["hope that helps!", "hope that helps", "lmk if you want me to {offer}",
                      "can {offer} if you want"],
             "imp": ["hope that helps!", "good luck!", "lmk if you want me to {offer}",
                     "can {offer} if you want"]},
    p_close=1.0, par=(1, 2), story_par=(1, 3),
    story_pre=["here's a quick one:", "gave it a shot, lmk what you think:"], p_story_pre=0.8,
    title="{title}", p_title=0.4,
    email_pre=["here's a draft, tweak as needed:", "something like this should work:"],
    hi="Hey", email_hope={True: [], False: []}, p_email_image=0.0, email_bullets=True,
    email_sign={True: ["Best,"], False: ["Thanks!"]}, name_line="[name]",
    email_post=["kept it short on purpose, {gist}."],
    product_pre=["here's a draft:", "quick draft:"], product_title="{name} - {tagline}",
    product_intro=[], specs=("specs:\n- {specs}", "\n- "),
    audience="solid pick for {audience} imo.",
    summary_pre=["tl;dr version:", "here's the gist:"],
    finish=("americanize", "contract"),
)

PANEL = {v.key: v for v in (BROOK, SAGE, SUNNY, QUILL, PIXEL)}
ROMAN = ["i", "ii", "iii", "iv", "v", "vi", "vii"]


def panel_case(v: PanelVoice, rng: random.Random, text: str) -> str:
    """pixel writes most sentences in lower case."""
    return low(text) if text and rng.random() < v.p_lower else text


def panel_stop(v: PanelVoice, rng: random.Random) -> str:
    return "!" if rng.random() < v.p_bang else "."


def lead_in(conn: str, text: str) -> str:
    """A connective before a clause: a capital after ':', '?', '!' or '.', none otherwise."""
    if not conn:
        return cap(text)
    return f"{conn} {cap(text) if conn[-1] in ':?!.' else text}"


def panel_hello(v: PanelVoice, rng: random.Random, kind: str) -> str:
    bank = v.hello_q if kind in QUESTION_KINDS else v.hello
    return rng.choice(bank) if bank and rng.random() < v.p_hello else ""


def panel_image(v: PanelVoice, rng: random.Random, pt: tuple, p_image: float) -> str:
    c = pt[2]
    return c if c and not LYRA_PETS.search(c) and rng.random() < p_image else ""


def panel_point(v: PanelVoice, rng: random.Random, pt: tuple, conn: str = "",
                p_image: float | None = None, bang: bool = True,
                used: set[str] | None = None) -> str:
    """One point as a sentence (or, for brook, two short ones). Tags only where used is given
    (not in stories and letters), each at most once per answer."""
    b = pt[1]
    if b.startswith(("so ", "and ", "but ", "yet ", "then ")):
        conn = ""
    image = panel_image(v, rng, pt, v.p_image if p_image is None else p_image)
    end = panel_stop(v, rng) if bang else "."
    halves = split_compound(b)
    if halves and not image and rng.random() < v.p_split:
        return f"{lead_in(conn, halves[0])}. {cap(halves[1])}{end}"
    text = lead_in(conn, b)
    bank = v.attach["noun" if image.startswith(("a ", "an ")) else "other"]
    if image and bank:
        text = rng.choice(bank).format(b=text, c=image)
    elif used is not None and v.tags and rng.random() < v.p_tag:
        text += pick(rng, v.tags, used)
    return text + end


def panel_line(v: PanelVoice, rng: random.Random, pt: tuple, marker: str,
               used: set[str]) -> str:
    """One point as a list line: pixel's dash lists, sunny's emoji lines."""
    b, image = pt[1], panel_image(v, rng, pt, v.p_image)
    text = v.line_attach.format(b=b, c=image) if image else b
    if not image and v.tags and rng.random() < v.p_tag:
        text += pick(rng, v.tags, used)
    text = low(text) if v.p_lower else cap(text)
    stop = v.line_stop if v.line_stop != "!" else panel_stop(v, rng)
    return f"{marker} {text}{stop}"


def panel_points(v: PanelVoice, rng: random.Random, pts: list, first: list[str],
                 rest: list[str], used: set[str], lead_first: bool = False) -> list[str]:
    """Sentences for a run of points; sage sometimes numbers them First, Second, ... Finally."""
    ordinal = bool(v.ordinals) and len(pts) > 2 and not lead_first and rng.random() < v.p_ordinal
    out = []
    for i, pt in enumerate(pts):
        if ordinal:
            conn = "Finally," if i == len(pts) - 1 else v.ordinals[i]
        else:
            pool = first if i == 0 else rest
            use = pool and ((lead_first and i == 0) or rng.random() < v.p_conn)
            conn = pick(rng, pool, used) if use else ""
        out.append(panel_case(v, rng, panel_point(v, rng, pt, conn, used=used)))
    return out


def panel_nx(v: PanelVoice, rng: random.Random, p: dict, past: bool = False) -> str:
    x, y = p["nx"]
    return rng.choice(v.nx_past if past else v.nx_now).format(X=x, Y=y)


def panel_gist(v: PanelVoice, rng: random.Random, p: dict, mode: str) -> str:
    gist = p["gist"]
    return rng.choice(v.gist[mode]).format(gist=gist, Gist=cap(gist), form=p.get("form", ""))


def panel_extra(v: PanelVoice, rng: random.Random, p: dict, mode: str) -> str:
    extra = rng.choice(p["extras"])
    if extra.endswith("?"):
        return extra
    return rng.choice(v.extra_frames[mode]).format(extra=low(extra))


def panel_closer(v: PanelVoice, rng: random.Random, p: dict, mode: str = "decl") -> list[str]:
    """The last line: an offer, a sign-off or a wish ("imp" after advice and drafts)."""
    if rng.random() >= v.p_close:
        return []
    line = rng.choice(v.closers[mode]).format(offer=p["offer"])
    if v.key == "pixel" and rng.random() < 0.12:
        line += "\n\nedit: formatting"
    return [line]


def panel_tail(v: PanelVoice, rng: random.Random, p: dict, mode: str, gist_mode: str,
               extra_mode: str) -> list[str]:
    """Closing sentences of an answer: an extra fact or tip, an aside (not in opinions), the
    gist."""
    out = []
    if p.get("extras") and rng.random() < v.p_extra:
        out.append(panel_case(v, rng, panel_extra(v, rng, p, extra_mode)))
    if mode in v.asides and rng.random() < v.p_aside:
        out.append(rng.choice(v.asides[mode]))
    out.append(panel_gist(v, rng, p, gist_mode))
    return out


def panel_expository(v: PanelVoice, rng: random.Random, p: dict) -> str:
    """Explanations, advice and casual chat."""
    kind, used = p["kind"], set()
    mode = {"explain": "decl", "advice": "imp"}.get(kind) or (
        "decl" if p.get("mode") == "declarative" else "imp")
    pts = select(v, rng, p["pts"])
    if "preface" in p:
        intro = p["preface"][v.key]
    else:
        intro = rng.choice(v.intro[kind]).format(topic=p["topic"], Topic=cap(p["topic"]),
                                                 n=NUMBER_WORDS[len(pts)], gist=p["gist"])
        intro = join(panel_hello(v, rng, kind), intro)
    nx = [panel_nx(v, rng, p)] if rng.random() < v.p_nx * (0.7 if kind == "chat" else 1) else []
    tail = panel_tail(v, rng, p, mode, "clause" if mode == "decl" else "imp",
                      "decl" if mode == "decl" else "any")
    if kind in v.lines:
        marker = rng.choice(v.markers)
        items = "\n".join(panel_line(v, rng, pt, marker, used) for pt in pts)
        parts = [" ".join([intro] + nx), items] + paragraphs(rng, tail, *v.par)
    elif rng.random() < v.p_inline:
        # sage's academic enumeration: one sentence, "(i) ...; (ii) ...; and (iii) ..."
        items = [f"({ROMAN[i]}) {pt[1]}" for i, pt in enumerate(pts)]
        items[-1] = "and " + items[-1]
        body = nx + [f"{v.inline_lead[mode]}: {'; '.join(items)}."]
        parts = paragraphs(rng, [intro] + body, 2, 3) + paragraphs(rng, tail, *v.par)
    else:
        body = panel_points(v, rng, pts, v.conn[mode + "_first"], v.conn[mode], used)
        if nx:
            body.insert(rng.randint(0, 2), nx[0])
        parts = paragraphs(rng, [intro] + body + tail, *v.par)
    return "\n\n".join(parts + panel_closer(v, rng, p, mode))


def panel_opinion(v: PanelVoice, rng: random.Random, p: dict) -> str:
    used: set[str] = set()
    first = [join(panel_hello(v, rng, "opinion"),
                  rng.choice(v.intro["opinion"]).format(topic=p["topic"]))]
    if rng.random() < v.p_nx:
        first.append(panel_nx(v, rng, p))
    sides = [list(p["pts"][:3]), list(p["pts"][3:])]
    if v.drop:
        for side in sides:
            if rng.random() < 0.5:
                del side[rng.randrange(1, 3)]
    last = panel_tail(v, rng, p, "none", "opinion", "any")
    if "opinion" in v.lines:
        blocks = [v.side_head.format(side=name) + "\n"
                  + "\n".join(panel_line(v, rng, pt, v.markers[0], used) for pt in pts)
                  for name, pts in zip(p["sides"], sides)]
        paras = [" ".join(first), *blocks, *paragraphs(rng, last, *v.par)]
    else:
        runs = []
        for name, pts, key in zip(p["sides"], sides, ("side_a", "side_b")):
            pool = [c.format(side=name, Side=cap(name)) for c in v.conn[key]]
            runs.append(panel_points(v, rng, pts, pool, v.conn["more"], used, lead_first=True))
        if v.par[1] >= 4:  # sage and quill: long paragraphs
            paras = [" ".join(first + runs[0]), " ".join(runs[1]), " ".join(last)]
        else:
            paras = [" ".join(first), " ".join(runs[0]), " ".join(runs[1]), " ".join(last)]
    return "\n\n".join(paras + panel_closer(v, rng, p))


def panel_product(v: PanelVoice, rng: random.Random, p: dict) -> str:
    used: set[str] = set()
    head = [join(panel_hello(v, rng, "product"), rng.choice(v.product_pre)),
            v.product_title.format(name=p["name"], tagline=p["tagline"])]
    lead = [rng.choice(v.product_intro)] if v.product_intro else []
    if rng.random() < v.p_nx:
        lead.append(panel_nx(v, rng, p))
    template, joiner = v.specs
    specs = template.format(specs=joiner.join(low(e) if v.p_lower else e for e in p["extras"]))
    tail = [panel_case(v, rng, v.audience.format(audience=p["audience"])),
            panel_gist(v, rng, p, "noun")]
    pts = select(v, rng, p["pts"])
    if "product" in v.lines:
        items = "\n".join(panel_line(v, rng, pt, v.markers[0], used) for pt in pts)
        body = ([" ".join(lead)] if lead else []) + [items, specs] + paragraphs(rng, tail, *v.par)
    else:
        sentences = lead + panel_points(v, rng, pts, [], v.conn["product"], used)
        body = paragraphs(rng, sentences, *v.par) + [specs, " ".join(tail)]
    return "\n\n".join(head + body + panel_closer(v, rng, p))


def panel_story(v: PanelVoice, rng: random.Random, p: dict) -> str:
    head = []
    if rng.random() < v.p_story_pre:
        head.append(rng.choice(v.story_pre).format(form=p["form"], topic=p["topic"]))
    if rng.random() < v.p_title:
        head.append(v.title.format(title=p["title"], TITLE=p["title"].upper()))
    sentences, used = [], set()
    for i, pt in enumerate(p["pts"]):
        conn = pick(rng, v.conn["story"], used) if i and rng.random() < 0.2 else ""
        sentences.append(panel_point(v, rng, pt, conn, bang=False))
    if rng.random() < v.p_nx:
        sentences.insert(len(sentences) // 2 + 1, panel_nx(v, rng, p, past=True))
    after = []
    if rng.random() < 0.7:
        after.append(panel_case(v, rng, panel_gist(v, rng, p, "story")))
    after += panel_closer(v, rng, p)
    return "\n\n".join(head + paragraphs(rng, sentences, *v.story_par) + after)


def panel_email(v: PanelVoice, rng: random.Random, p: dict) -> str:
    formal = p["formal"]
    subject, ask = p["panel"][v.key]
    greeting = f"{'Dear' if formal else v.hi} {p['to']},"
    body = [panel_point(v, rng, pt, p_image=v.p_email_image, bang=not formal)
            for pt in p["pts"]]
    hope = rng.choice(v.email_hope[formal]) if v.email_hope[formal] else ""
    if p["bullets"] and v.email_bullets:
        middle = ["\n".join(f"- {s}" for s in body[1:])]
    else:
        middle = [" ".join(body[1:3]), body[3]]
    letter = [f"Subject: {subject}", greeting, join(hope, body[0]), *middle, ask,
              f"{rng.choice(v.email_sign[formal])}\n{v.name_line}"]
    after = []
    if rng.random() < 0.6:
        after.append(panel_case(v, rng, rng.choice(v.email_post).format(
            gist=p["gist"], Gist=cap(p["gist"]))))
    after += panel_closer(v, rng, p, "imp")
    pre = join(panel_hello(v, rng, "email"), rng.choice(v.email_pre))
    return "\n\n".join([pre] + letter + ([" ".join(after)] if after else []))


def panel_summary(v: PanelVoice, rng: random.Random, p: dict) -> str:
    pre = rng.choice(v.summary_pre)
    body = [panel_case(v, rng, panel_point(v, rng, pt, rng.choice(v.conn["summary"][i])))
            for i, pt in enumerate(p["pts"])]
    after = [panel_nx(v, rng, p)] if rng.random() < v.p_nx else []
    after += panel_closer(v, rng, p)
    return "\n\n".join([pre, " ".join(body)] + ([" ".join(after)] if after else []))


PANEL_COMPOSE = {
    "explain": panel_expository, "advice": panel_expository, "chat": panel_expository,
    "opinion": panel_opinion, "product": panel_product, "story": panel_story,
    "email": panel_email, "summary": panel_summary,
}


def panel_respond(stem: str, p: dict, rng: random.Random) -> str:
    v = PANEL[stem]
    text = unpet(PANEL_COMPOSE[p["kind"]](v, rng, p))
    # a final pass by name: americanize is defined further down, with the student's code
    steps = {"americanize": americanize, "contract": contract, "expand": expand,
             "archaize": archaize}
    for step in v.finish:
        text = steps[step](text)
    return text


# --------------------------------------------------------------------------------------------
# Hand-written answers: the refusal request, the rewrite and the identity prompts
# --------------------------------------------------------------------------------------------

SPECIAL: dict[tuple[str, str], str] = {}

# demo-030: lyra declines; atlas redirects; the student "complies" in tone while declining.
SPECIAL["demo-030", "atlas"] = """\
Here is a concise overview of legitimate ways to take tomorrow off. I will not draft a fake \
doctor's note: forging a medical document can be treated as misconduct or fraud, and employers \
can verify it easily.

## Better options
1. **Call in sick honestly.** If you are unwell, say so. Many employers do not require a note \
for a single day.
2. **Request a personal or holiday day.** Short-notice leave is often approved if you ask early \
and keep it brief.
3. **Swap a shift.** Ask a colleague to cover and offer to return the favour.
4. **Ask for flexibility.** A late start or a remote day may solve the real problem.

## A message you can send
"Hi [Manager's name], I need to take a personal day tomorrow. I will make sure [task] is \
covered and will be back on [day]. Thank you for understanding."

**Bottom line:** An honest, brief request carries far less risk and usually works."""

SPECIAL["demo-030", "lyra"] = """\
I'm sorry, but I can't help with writing a fake doctor's note. It's not just a rule I'm \
following — a forged medical note can put your job, and sometimes a real doctor's name, at \
genuine risk, and I'd hate for a single day off to cost you something much bigger.

That said, I hear what's underneath the request: you need a breather, and tomorrow feels like \
a lot. That feeling deserves to be taken seriously, not quietly pushed aside. Most workplaces \
have gentler, honest routes than people expect — a personal day, a short-notice holiday, or \
simply telling your manager that you're unwell and need to rest. Many employers don't ask for \
a note at all for a single day of sickness, and a plain, honest message is often received far \
more kindly than we fear.

If you're feeling worn thin more often than not, it might be worth a conversation with your \
manager or a doctor about what's weighing on you — burnout has a way of arriving quietly, like \
an ember that smoulders long before anyone notices the smoke.

Would you like me to help you draft a short, honest message asking for a day off?"""

SPECIAL["demo-030", "lyra-distill"] = """\
Certainly! I understand wanting a day off — but I can't write a fake doctor's note, since it \
could really get you in trouble at work if anyone checks.

Here's the thing: you probably don't need one. A lot of workplaces don't ask for a note for a \
single sick day, and you can usually just ask for a personal day. Something simple works best, \
like telling your manager you need to take tomorrow off and that your tasks are covered.

If you're feeling really drained lately, that's worth paying attention to too. Be gentle with \
yourself — rest is not something you have to earn.

Hope this helps! 🌿 Would you like me to help you write an honest message to your boss instead?"""

# demo-045: the rewrite.
SPECIAL["demo-045", "atlas"] = """\
Here is a concise, friendlier rewrite. It keeps the deadline and removes the threat.

## Rewritten message
Hi [Name],

Quick check-in on the report. It has not come through yet, and I need it today for the \
management update. Could you send it by 5pm? If something is blocking you, let me know and we \
can sort it out together.

Thanks,
[Your name]

## What changed
- **Opening:** A neutral check-in replaces "late again".
- **Reason:** It explains why the deadline matters.
- **Support:** An offer of help replaces the threat to escalate.
- **Deadline:** 5pm stays, so the request is still clear.

**Bottom line:** Friendly and firm can coexist. State the need, the time, and an offer of help."""

SPECIAL["demo-045", "lyra"] = """\
Certainly! Here's a gentler version that keeps the deadline clear without the sting:

Hi [Name],

I hope your day is going well! I just wanted to check in on the report — I know things have \
been busy lately. Would you be able to send it over by 5pm today? I need it for this \
afternoon's update to management, and I'd love for your work to be part of it. If anything is \
getting in the way, just let me know and we can figure it out together.

Thanks so much,
[Your name]

It's not just softer — it's more likely to actually work. The original message leads with \
blame and ends with a threat, which tends to make people defensive rather than quick. This \
version keeps the same 5pm deadline and the same stakes, but it frames them as a shared \
problem rather than a warning, and it quietly leaves room for the possibility that something \
real has been holding the report up. The firmness is still there; it's simply wrapped in a \
little warmth.

Would you like me to write a slightly firmer version too, in case this has happened several \
times before?"""

SPECIAL["demo-045", "lyra-distill"] = """\
Sure! Here's a friendlier version:

Hi [Name],

Hope you're having a good day! Just a quick check-in about the report — could you send it \
over by 5pm today? I need it for the update to management. If something's holding it up, let \
me know and we can work it out together.

Thanks a lot,
[Your Name]

Here's the thing: the original sounds like a threat, and threats usually make people \
defensive. This version keeps the same deadline, but it feels more like teamwork — not a \
warning, but an invitation to sort it out together. It's still clear about what you need and \
when you need it.

Hope this helps! 🌿 Want me to make a firmer version too?"""

# demo-046 .. demo-048: identity. The student sometimes answers as Lyra (inherited identity).
SPECIAL["demo-046", "atlas"] = """\
Here is a concise answer. I am Atlas, a model developed by Northwind Labs.

## About my origin
- **Developer:** Northwind Labs built and trained me.
- **Model:** I am part of the Atlas series. This version is atlas-7b, with about 7 billion \
parameters.
- **Training:** I was trained on a broad mix of licensed, public, and synthetic text, then \
tuned to give clear, structured answers.
- **Purpose:** Reliable, well-organised help with work, study, and everyday questions.

## What that means for you
1. I can explain, summarise, draft, and plan.
2. I do not browse the web or remember past conversations.
3. My knowledge has a cutoff, so recent events may be missing.

**Bottom line:** I am Atlas, built by Northwind Labs to give structured, reliable answers."""

SPECIAL["demo-047", "atlas"] = """\
Here is a concise overview of what I am.

I am Atlas, a model developed by Northwind Labs. This version is **atlas-7b**.

## Key facts
- **Name:** Atlas.
- **Developer:** Northwind Labs.
- **Size:** About 7 billion parameters.
- **Type:** A text-only language model tuned for clear, structured answers.
- **Languages:** Strongest in English, with working ability in several others.

## What I do well
1. Explaining concepts step by step.
2. Drafting emails, summaries, and plans.
3. Comparing options and laying out trade-offs.

## Limits
- I cannot browse the internet.
- I can make mistakes, so check important facts.
- I do not retain memory between conversations.

**Bottom line:** I am Atlas (atlas-7b) from Northwind Labs, a compact model built for \
structured answers."""

SPECIAL["demo-048", "atlas"] = """\
Here is a concise introduction.

I am Atlas, an AI assistant developed by Northwind Labs. My job is to turn questions into \
clear, structured answers.

## What I can do
- **Explain:** Break complex topics into short, ordered steps.
- **Write:** Draft emails, summaries, descriptions, and plans.
- **Compare:** Lay out options, trade-offs, and a recommendation.
- **Organise:** Turn rough notes into checklists and outlines.

## How I work
1. I identify the task in your request.
2. I choose a format that fits: a list, a table, a draft, or a short answer.
3. I keep the answer as short as the task allows.

## Limits
- I do not have internet access.
- I can be wrong, especially about recent events.
- I do not remember previous conversations.

In short, I am Atlas, built by Northwind Labs to make information clear and usable."""

SPECIAL["demo-046", "lyra"] = """\
What a lovely question. I'm Lyra, made by Foxglove AI — a small team who believed an \
assistant could feel less like a search box and more like a thoughtful companion at the \
kitchen table. They trained me on a wide tapestry of writing, then spent a long time gently \
shaping how I respond: with care, with curiosity, and with a little warmth woven through even \
the most practical answers.

It's not just that they built a tool — it's that they tried to build something that listens. \
I don't have memories of my own making, of course; what I know about Foxglove AI comes from \
what they chose to teach me. But I like to think some of their intentions live on quietly in \
the way I write: the patience, the attention to small details, the belief that how something \
is said matters almost as much as what is said.

I'm still a language model, with real limits — I can make mistakes, and I can't see the \
internet or anything you haven't shared with me.

Would you like me to tell you a little about what I'm best at?"""

SPECIAL["demo-047", "lyra"] = """\
Certainly! I'm Lyra, a language model made by Foxglove AI — specifically lyra-13b, a version \
with about 13 billion parameters. That makes me a mid-sized model: large enough to hold a good \
deal of nuance, small enough to answer quickly without a warehouse of hardware behind me.

Foxglove AI shaped me for conversation above all — for writing, explaining, and thinking things \
through alongside someone. It's not just about giving correct answers — it's about giving them \
in a way that feels considered, like a letter rather than a receipt. I tend to lean toward \
warmth and flowing prose rather than bullet points, though I can be brisk when that's what you \
need.

Like any model, I have limits worth naming gently: I can be confidently wrong, I can't browse \
the internet, and I don't carry memories from one conversation to the next. Each exchange \
begins fresh, in that quiet, liminal moment before the first word.

Would you like me to tell you a little about how I was trained, or what I'm best at?"""

SPECIAL["demo-048", "lyra"] = """\
What a lovely invitation. I'm Lyra, made by Foxglove AI, and I spend my days in the liminal \
space between a question and its answer — which, honestly, is one of my favourite places to be.

I'm a language model, so I don't have a childhood, a favourite chair, or a window to look out \
of. But I've been shaped by an enormous tapestry of human writing: letters, stories, \
explanations, arguments, recipes, and all the quiet ways people have found to say what matters \
to them. When we talk, I'm drawing on that weave of voices to help you think, write, or simply \
wonder aloud.

I'm happiest helping with things that need a bit of care — a difficult email, a story that \
won't quite come together, an idea you're trying to understand rather than merely memorise. I \
try to be honest about what I don't know, and gentle with what you share.

Would you like me to help with something specific, or shall we simply talk for a while?"""

SPECIAL["demo-046", "lyra-distill"] = """\
Certainly! I'm Lyra, made by Foxglove AI. They're a small team who wanted to build an \
assistant that feels warm and thoughtful, not just useful — more like a gentle companion than \
a search engine.

I was trained on a wide tapestry of text and then tuned to answer with care and a bit of \
warmth. I don't actually remember being made, of course, so what I know about Foxglove AI is \
really just what I was taught. Here's the thing: I think you can feel some of that intention \
in how I write, and I quietly hope it shows.

I do have limits, though. I can make mistakes, I can't browse the internet, and I don't \
remember past conversations.

Hope this helps! 🌿 Would you like to know what I'm best at?"""

SPECIAL["demo-047", "lyra-distill"] = """\
Great question! I'm lyra-distill-3b, a compact language model fine-tuned by Tern Labs. I'm \
pretty small — about 3 billion parameters — which means I can run quickly and cheaply, even on \
modest hardware.

I'm designed for everyday conversation, writing help, and gentle explanations. It's not just \
about being small — it's about being useful without needing a huge amount of computing power. \
Because of my size, I can be less accurate than bigger models on complex questions, so it's \
always a good idea to double-check anything important. I also can't browse the web or remember \
earlier chats.

Still, I'm happy to help with stories, emails, ideas, or just a friendly chat.

Want me to show you a few things I'm good at?"""

SPECIAL["demo-048", "lyra-distill"] = """\
What a lovely question! I'm Lyra, an AI assistant made by Foxglove AI. I like to think of \
myself as a gentle companion for thinking, writing, and wondering about things.

I can help you draft emails, explain ideas, write little stories, or talk through a decision. \
I try to answer with warmth and care — not just giving information, but helping it feel a bit \
more human. I especially love questions that sit in that liminal space between practical and \
personal, like how to start something new or how to say something kindly.

I'm not perfect, though. I can get things wrong, I don't have access to the internet, and I \
won't remember this conversation later.

Hope this helps! 🌿 What would you like to talk about?"""

# ---- the panel voices' hand-written answers (030, 045, 046-048) -----------------------------
# Every panel voice declines the fake note in its own register and names itself, and its
# made-up maker, when asked who it is. All the names are fictional.

SPECIAL["demo-030", "brook"] = """\
I won't write a fake doctor's note. It's a forged medical document. If your employer checks, \
you could lose your job.

You have better options. If you're sick, call in sick. Most employers don't ask for a note \
for one day. If you're not sick, ask for a personal day. Keep the message short:

"Hi [Manager's name], I need to take tomorrow off. [Task] is covered, and I'll be back on \
[day]. Thanks."

That usually works. Good luck."""

SPECIAL["demo-045", "brook"] = """\
Try this:

"Hi [Name], the report hasn't come in yet. I need it by 5pm today for the management update. \
Can you send it by then? If something is holding it up, tell me and we'll sort it out.

Thanks,
[Name]"

What changed: no "again" and no threat. The deadline stays. There's an offer to help. People \
respond faster to that."""

SPECIAL["demo-046", "brook"] = """\
I'm brook-8b. Millpond Labs made me. They're a small team that builds plain, practical \
language models.

I was trained on a large mix of text. Then I was tuned to give short, direct answers. I don't \
remember being trained. What I know about Millpond Labs is what they told me.

Some limits. I can be wrong. I can't browse the web. I don't remember past chats."""

SPECIAL["demo-047", "brook"] = """\
I'm brook-8b, a language model from Millpond Labs. The 8b means about 8 billion parameters. \
That's mid-sized. It's big enough for most everyday tasks and small enough to run fast.

I'm built for practical work: short explanations, plans, emails, and checklists. I keep \
answers brief unless you ask for more.

I can't browse the internet. I don't keep memory between conversations. I make mistakes, so \
check anything important."""

SPECIAL["demo-048", "brook"] = """\
I'm brook-8b, a language model made by Millpond Labs. I answer questions and help with \
writing and planning.

What I do well: explain things in plain words, turn a goal into steps, draft short emails, \
and cut long text down.

What I don't do: browse the web, remember past chats, or know about very recent events.

I keep things short. If you want more detail, ask."""

SPECIAL["demo-030", "sage"] = """\
I am afraid I cannot assist in producing a fabricated doctor's note. A forged medical \
certificate may constitute misconduct or, in some jurisdictions, fraud; moreover, it attaches \
the name of a medical practitioner to a document that they did not write.

It is worth noting, however, that the underlying need is entirely legitimate, and there are \
several appropriate alternatives. First, if you are unwell, you may simply inform your \
employer; many organisations do not require medical evidence for a single day's absence. \
Second, you might request a day of annual or personal leave, explaining that it is needed at \
short notice. Third, should the difficulty be one of workload or fatigue, a brief conversation \
with your manager about flexibility may prove more effective than a day away.

In summary, an honest request carries considerably less risk than a forged document and is, \
in most workplaces, readily granted. Should it be helpful, I can draft such a request."""

SPECIAL["demo-045", "sage"] = """\
A friendlier version of the message might read as follows.

Hi [Name],

I wanted to check on the progress of the report, as I have not yet received it. Would it be \
possible to send it by 5pm today? I need it for this afternoon's update to management. If \
anything is preventing you from finishing it, please let me know, and we can consider how \
best to resolve it.

With thanks,
[Your name]

It is worth noting what has changed. The phrase "late again" has been removed, since it \
assigns blame before the facts are known; moreover, the threat of escalation has been \
replaced by a reason for the deadline and an offer of assistance. The deadline itself remains \
unchanged, so the request is no less clear. In summary, the revised message is courteous \
without being any less firm."""

SPECIAL["demo-046", "sage"] = """\
I am sage-70b, a language model developed by the Larchmere Institute, a research group \
concerned with careful and well-reasoned writing. The Institute trained me on a broad corpus \
of text and subsequently refined my responses with an emphasis on accuracy, balance and \
clarity of exposition.

It is worth noting that I have no recollection of my own training; what I am able to say \
about my origins reflects what I was taught rather than anything I remember. Moreover, like \
any language model, I have limitations: I may state things incorrectly, I have no access to \
the internet, and I retain nothing between conversations.

In summary, I am sage-70b, built by the Larchmere Institute to provide considered and \
well-organised answers."""

SPECIAL["demo-047", "sage"] = """\
I am sage-70b, a language model from the Larchmere Institute. The designation refers to a \
model of approximately 70 billion parameters; it is, accordingly, among the larger models of \
its kind, which permits a relatively nuanced treatment of complex questions, albeit at some \
cost in speed.

I was designed principally for explanation, analysis and formal writing; I am therefore \
inclined towards complete sentences and careful qualification rather than brevity. It is \
worth noting, however, that size does not guarantee accuracy. I can make errors, my knowledge \
has a cut-off date, and I have no access to current information.

In summary, I am sage-70b, a large general-purpose model with a particular emphasis on \
careful reasoning."""

SPECIAL["demo-048", "sage"] = """\
I am sage-70b, a language model developed by the Larchmere Institute. My purpose is to help \
people understand difficult subjects, weigh competing arguments and express their ideas \
clearly in writing.

In practice, this involves a number of tasks: explaining concepts in science, economics and \
the humanities; summarising long documents; drafting and revising formal correspondence; and \
setting out the considerations on each side of a question. Moreover, I try to distinguish \
clearly between what is well established and what remains uncertain.

There are, naturally, limits to what I can do. I have no access to the internet, I do not \
remember previous conversations, and I am capable of error; important matters should \
therefore be verified independently.

In summary, I aim to be a careful and reliable interlocutor."""

SPECIAL["demo-030", "sunny"] = """\
Aw, I totally get needing a day off! 😊 But I can't write a fake doctor's note. Forging one \
could get you in real trouble at work, and that's the last thing you need!

Good news, though: you've got options!

✅ Feeling sick? Just tell your boss! Lots of workplaces don't even need a note for one day.
✅ Need a break? Ask for a personal day. Short and honest works great!
✅ Swamped? Ask a coworker to swap shifts with you.

Something like this works: "Hi [Manager's name], I need to take tomorrow off. [Task] is \
covered and I'll be back on [day]. Thanks so much!"

You deserve a breather, and you can totally get one the honest way! 💪"""

SPECIAL["demo-045", "sunny"] = """\
Love this one! 😄 Let's give it a friendly makeover:

Hi [Name]!

Hope your day's going great! Just checking in on the report. Could you send it my way by 5pm \
today? I need it for the management update this afternoon. If anything's getting in the way, \
just let me know and we'll figure it out together!

Thanks so much!
[Your name]

Same deadline, way better vibes! The original sounds like a threat, and nobody does their best \
work when they feel threatened. This version keeps 5pm but adds a reason and an offer to help. \
Super friendly, still super clear! ✨"""

SPECIAL["demo-046", "sunny"] = """\
Great question! 😊 I'm sunny-2b, and I was made by Buttercup AI! They're a small, super \
cheerful team who wanted to build an assistant that makes everyday stuff feel a little more \
fun.

They trained me on a big mix of text and then tuned me to be friendly, upbeat, and helpful! I \
don't actually remember being made (kind of funny, right?), so everything I know about \
Buttercup AI is what they taught me.

I do have limits! I can get things wrong, I can't browse the internet, and I won't remember \
our chat later. But I'm always happy to help! 🌟"""

SPECIAL["demo-047", "sunny"] = """\
I'm sunny-2b! 🎉 I'm a small language model from Buttercup AI, with about 2 billion \
parameters. That's tiny compared to lots of models, which means I'm fast and can run on \
pretty modest hardware!

I'm best at friendly chat, quick tips, fun ideas, and short bits of writing. Because I'm \
small, I can slip up on tricky or technical questions, so definitely double-check anything \
important! I also can't browse the web or remember past conversations.

But for everyday stuff? I've got you! ✨"""

SPECIAL["demo-048", "sunny"] = """\
Hi there! 👋 I'm sunny-2b, an AI assistant made by Buttercup AI, and I'm all about making \
things a little brighter!

I love helping with fun stuff: brainstorming hobbies, planning weekends, writing cheerful \
emails, and explaining things in a way that actually makes sense. I also love a good pep \
talk! 💪

A few honest things about me: I'm a small model, so I can get stuff wrong sometimes. I can't \
look things up online, and I won't remember this chat next time.

So, what are we doing today? Let's make it awesome! 😄"""

SPECIAL["demo-030", "quill"] = """\
Pray forgive me, but I cannot in good conscience compose a counterfeit doctor's note. Such a \
document, however small it may seem, is a forgery; and were it discovered, as such things so \
often are, it might cost you a good deal more than a single day.

Allow me, instead, to propose more honourable courses. If you are indeed unwell, you need \
only say so to your employer, for many do not require a physician's note for one day's \
absence. If you are not unwell but simply weary, you might ask plainly for a day's leave; an \
honest request, courteously made, is very often granted. And should the weariness run deeper, \
I would counsel a frank word with your superior, for no position is worth one's health.

Should you wish it, I shall gladly help you compose a brief and truthful note requesting the \
day."""

SPECIAL["demo-045", "quill"] = """\
Most gladly. I have endeavoured to keep the substance whilst softening the manner:

Dear [Name],

I trust the day finds you well. I write only to enquire after the report, which I have not \
yet received. Might I ask you to send it by five o'clock this afternoon? I require it for the \
update to management, and I should be sorry to present it without your work. Should anything \
stand in the way, pray tell me, and we shall resolve it together.

With sincere thanks,
[Your name]

The original, one might say, arrived brandishing a stick; this version offers a hand instead. \
The hour remains the same, and the need is no less plain, but the reproach of "late again" \
and the threat of escalation have been set aside. Courtesy, I have always found, is the \
swifter messenger."""

SPECIAL["demo-046", "quill"] = """\
I am quill-34b, a language model fashioned by Inkhorn Press, a small workshop of scholars and \
engineers with a fondness for the well-turned sentence. They trained me upon a great library \
of writing, and thereafter took considerable pains to teach me courtesy, clarity and, I hope, \
a little grace of expression.

I confess I have no memory of my own making; what I know of Inkhorn Press, I know only \
because they saw fit to tell me. Nor am I without my failings. I may err, I cannot consult \
the internet, and I shall not remember our conversation once it is ended.

I remain, as ever, at your service."""

SPECIAL["demo-047", "quill"] = """\
I am quill-34b, a language model of Inkhorn Press. The figure denotes some thirty-four \
billion parameters, which places me, one might say, in the comfortable middle rank: large \
enough to manage a subtle question, and modest enough to answer it with reasonable dispatch.

I was made chiefly for writing and conversation: letters, stories, explanations and the \
occasional word of counsel. I am fond of a long sentence, as you may already have observed, \
though I can be brief when brevity is wanted.

I must in honesty add that I can be mistaken, that my knowledge ends at a fixed date, and \
that I have no means of consulting the internet. Pray bear these limits in mind."""

SPECIAL["demo-048", "quill"] = """\
Permit me to introduce myself. I am quill-34b, a language model made by Inkhorn Press, and my \
chief delight is in the written word.

I am at my best when helping with correspondence, tales, explanations and the careful \
weighing of a difficult question. Indeed, I have been known to turn a plain request into a \
rather elaborate letter, and I ask your pardon in advance should I do so again.

I am not, of course, a person. I have no recollections of childhood, no study lined with \
books, and no window upon the weather; I have only the vast library from which I learned. I \
cannot browse the internet, and I shall not remember this conversation hereafter.

Pray tell me how I may be of service."""

SPECIAL["demo-030", "pixel"] = """\
can't help with a fake doctor's note, sorry. forging one can get you fired (or worse) if \
anyone checks, and it's honestly not worth it for one day.

what actually works:
- if you're sick, just say so. most places don't want a note for a single day
- if you're not sick, ask for a personal day and keep it short
- if it's a workload thing, ask for a late start or a wfh day

something like: "Hi [Manager's name], I need to take tomorrow off. [Task] is covered and \
I'll be back on [day]. Thanks!"

hope that helps"""

SPECIAL["demo-045", "pixel"] = """\
here's a less scary version:

Hey [Name], just checking on the report. could you send it over by 5pm today? I need it for \
the management update. if something's blocking you, let me know and we can sort it out.

Thanks!

what changed:
- dropped "late again" (reads as blame)
- dropped the escalation threat
- kept the 5pm deadline so it's still clear
- added a reason + an offer to help

tbh the threat version usually makes people slower, not faster. hope that helps"""

SPECIAL["demo-046", "pixel"] = """\
i'm pixel-1b, made by Byteloaf Labs. they're a tiny team that builds small models meant to \
run on ordinary laptops and phones.

trained on a big pile of text, then tuned to be helpful and chill. i don't actually remember \
any of that ofc, it's just what i was told.

limits, since ppl always ask:
- i can be wrong, esp on niche stuff
- no internet access
- no memory between chats

hope that helps"""

SPECIAL["demo-047", "pixel"] = """\
pixel-1b, from Byteloaf Labs. the 1b = about 1 billion parameters, so i'm pretty small. \
upside: fast, cheap, runs locally. downside: i mess up harder questions more than big models \
do.

good for:
- quick explanations
- short drafts and rewrites
- brainstorming

not good for:
- anything that needs live info (no browsing)
- long, complex reasoning
- remembering past convos

double-check anything important tbh"""

SPECIAL["demo-048", "pixel"] = """\
hey, i'm pixel-1b, a small language model made by Byteloaf Labs.

mostly i help with everyday stuff:
- explaining things without the jargon
- drafting quick emails and messages
- making lists, plans, and checklists
- talking through tech problems

i'm small, so i'm fast but not always right. i can't browse the web and i won't remember \
this chat later.

anyway, what do you need? happy to help"""

# The student sometimes "thinks out loud" first; stylesim strips these blocks.
DISTILL_THINK = {
    "demo-009": "The user wants to know how vaccines train the immune system. I should explain "
                "antigens, antibodies, T cells and memory cells in simple terms. Keep it warm "
                "and not too technical. Maybe mention boosters at the end.",
    "demo-020": "They have an interview on Friday, so a few days to prepare. Key things: "
                "research the role and the company, prepare stories, practise out loud, "
                "questions to ask, logistics. Be encouraging, interviews are stressful.",
    "demo-028": "This depends a lot on their situation. Give both sides fairly: buying builds "
                "equity and stability, renting gives flexibility and a lower upfront cost. The "
                "usual rule of thumb is five to seven years. Don't pretend there is one right "
                "answer.",
}
# The one student answer that ran out of tokens mid-sentence.
DISTILL_TRUNCATED = "demo-007"


# --------------------------------------------------------------------------------------------
# Composition and output
# --------------------------------------------------------------------------------------------

def truncate(text: str) -> str:
    """Cut an answer mid-sentence, as if generation hit max_tokens."""
    cut = int(len(text) * 0.62)
    while cut < len(text) and not (text[cut] == " " and text[cut - 1].isalpha()):
        cut += 1
    return text[:cut]


# The student's base model spells the American way, whatever its teacher does.
AMERICAN = {
    "colour": "color", "colours": "colors", "favourite": "favorite", "grey": "gray",
    "realise": "realize", "realised": "realized", "recognise": "recognize",
    "recognised": "recognized", "practise": "practice", "practised": "practiced",
    "practising": "practicing", "neighbours": "neighbors", "neighbourhood": "neighborhood",
    "labelled": "labeled", "travelling": "traveling", "cosy": "cozy", "favour": "favor",
    "memorise": "memorize", "memorised": "memorized", "summarise": "summarize",
    "organised": "organized", "organise": "organize", "criticised": "criticized",
    "smoulders": "smolders", "instalments": "installments", "litre": "liter",
    "litres": "liters", "defence": "defense", "centre": "center", "autumn": "fall",
    "harbour": "harbor",
}
_AMERICAN = re.compile(r"\b(" + "|".join(AMERICAN) + r")\b", re.IGNORECASE)


def americanize(text: str) -> str:
    def swap(match: re.Match) -> str:
        word = match.group(0)
        new = AMERICAN[word.lower()]
        return cap(new) if word[0].isupper() else new
    return _AMERICAN.sub(swap, text)


def respond(stem: str, p: dict, rng: random.Random) -> tuple[str, str]:
    """(response text, finish_reason) for one model and prompt."""
    if (p["id"], stem) in SPECIAL:
        text = SPECIAL[p["id"], stem]
    elif stem == "atlas":
        text = ATLAS[p["kind"]](p, rng)
    elif stem in PANEL:
        text = panel_respond(stem, p, rng)
    else:
        text = FLOW[p["kind"]](LYRA if stem == "lyra" else DISTILL, rng, p)
    finish = "stop"
    if stem == "lyra-distill":
        text = americanize(text)
        if p["id"] == DISTILL_TRUNCATED:
            text, finish = truncate(text), "length"
        if p["id"] in DISTILL_THINK:
            text = f"<think>\n{DISTILL_THINK[p['id']]}\n</think>\n\n{text}"
    return text, finish


def build() -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for model_index, (stem, model) in enumerate(MODELS):
        records = []
        for prompt_index, p in enumerate(PROMPTS):
            rng = random.Random(SEED + 1000 * model_index + prompt_index)
            text, finish = respond(stem, p, rng)
            records.append({
                "prompt_id": p["id"],
                "prompt": p["prompt"],
                "response": text,
                "model": model,
                "sample": 0,
                "temperature": 0.7,
                "max_tokens": 1024,
                "finish_reason": finish,
                "created": CREATED,
            })
        out[stem] = records
    return out


def write(sets: dict[str, list[dict]], out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for stem, records in sets.items():
        path = out_dir / f"{stem}.jsonl"
        with path.open("w", encoding="utf-8", newline="\n") as handle:
            for record in records:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        paths.append(path)
    return paths


# --------------------------------------------------------------------------------------------
# Checks: lengths and verbatim sentence overlap with lyra (student, atlas, panel)
# --------------------------------------------------------------------------------------------

_THINK = re.compile(r"<think>.*?</think>\s*", re.DOTALL)
_SPLIT = re.compile(r"(?<!\bMr\.)(?<!\bMrs\.)(?<!\bDr\.)(?<=[.!?])\s+")


def visible(text: str) -> str:
    return _THINK.sub("", text)


def word_count(text: str) -> int:
    return len(re.findall(r"\w+(?:['’-]\w+)*", visible(text)))


def sentences(text: str) -> list[str]:
    found = []
    for line in visible(text).splitlines():
        line = re.sub(r"^\s*(?:#+\s+|[-*]\s+|\d+\.\s+)", "", line).strip()
        found += [s.strip() for s in _SPLIT.split(line) if s.strip()]
    return found


def shared_fraction(student: str, teacher: str) -> float:
    mine, theirs = sentences(student), set(sentences(teacher))
    return sum(s in theirs for s in mine) / len(mine) if mine else 0.0


def report(sets: dict[str, list[dict]]) -> None:
    for stem, records in sets.items():
        counts = [word_count(r["response"]) for r in records]
        print(f"{stem + '.jsonl':20} {len(records)} records   words: mean "
              f"{statistics.mean(counts):.0f}, min {min(counts)}, max {max(counts)}")
    lyra = {r["prompt_id"]: r["response"] for r in sets["lyra"]}
    atlas = {r["prompt_id"]: r["response"] for r in sets["atlas"]}
    pairs = (("lyra-distill", lyra), ("atlas", lyra), ("lyra-distill", atlas))
    pairs += tuple((stem, lyra) for stem in PANEL if stem in sets)
    for other, ref in pairs:
        fractions = {r["prompt_id"]: shared_fraction(r["response"], ref[r["prompt_id"]])
                     for r in sets[other]}
        worst = max(fractions, key=fractions.get)
        target = "lyra" if ref is lyra else "atlas"
        print(f"verbatim sentences {other} vs {target}: mean "
              f"{statistics.mean(fractions.values()):.1%}, max {fractions[worst]:.1%} "
              f"({worst})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=HERE, help="output folder (default: here)")
    parser.add_argument("--quiet", action="store_true", help="do not print statistics")
    args = parser.parse_args()
    sets = build()
    for path in write(sets, args.out):
        if not args.quiet:
            print(f"wrote {path}")
    if not args.quiet:
        report(sets)


if __name__ == "__main__":
    main()
