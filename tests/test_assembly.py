"""Sanction assembly on short English texts: roles, kinds, cues, conversions, pairing, merging."""

from __future__ import annotations

import pytest


def sanctions(extractor, text, published=None):
    return [s for s in extractor.extract(text, published=published, language="en").to_dict()["sanctions"]]


def test_tracker_summary_hellenic(extractor):
    [s] = sanctions(extractor, "The Hellenic DPA has imposed a fine of EUR 30,000 on INFO COMMUNICATION SERVICES.")
    assert s["kind"] == "fine"
    assert s["amount"]["value"] == 30000 and s["amount"]["currency"] == "EUR"
    assert s["target"]["name"] == "INFO COMMUNICATION SERVICES"
    assert s["authority"]["country"] == "GR"


def test_tracker_summary_polish_with_conversion(extractor):
    [s] = sanctions(
        extractor,
        "The Polish DPA fined Virgin Mobile Polska PLN 1,968,524 (approx. EUR 460,000) for "
        "failing to implement appropriate technical measures.",
    )
    assert (s["amount"]["value"], s["amount"]["currency"]) == (1968524, "PLN")
    [eq] = s["amount"]["equivalents"]
    assert (eq["value"], eq["currency"], eq["approximate"]) == (460000, "EUR", True)
    assert s["target"]["name"] == "Virgin Mobile Polska"
    assert s["authority"]["country"] == "PL"


def test_passive_with_agent_and_bracketed_conversion(extractor):
    [s] = sanctions(
        extractor,
        "Meta Platforms Ireland was fined €1.2bn ($1.3bn) by the Irish Data Protection Commission on Monday.",
        published="2023-05-24",
    )
    assert s["target"]["name"] == "Meta Platforms Ireland"
    assert s["authority"]["id"] == "ie-dpc"
    assert s["amount"]["value"] == 1_200_000_000
    assert [(e["value"], e["currency"]) for e in s["amount"]["equivalents"]] == [(1_300_000_000, "USD")]
    assert s["date"]["value"] == "2023-05-22"
    assert s["prior"] is False


def test_turnover_and_statutory_maximum_are_not_sanctions(extractor):
    got = sanctions(
        extractor,
        "Under the GDPR, companies can be fined up to €20 million or 4% of global turnover. "
        "The company reported revenue of $117 billion last year.",
    )
    assert got == []


def test_hypothetical_fine_without_amount_is_dropped(extractor):
    got = sanctions(extractor, "Companies that use the tool could also face significant fines, the regulator warned.")
    assert got == []


def test_prior_by_cue_and_by_date(extractor):
    got = sanctions(
        extractor,
        "The CNIL fined Google €150 million on Tuesday. In 2019 the CNIL had fined "
        "Google €50 million, and the regulator previously fined Amazon €35 million.",
        published="2021-12-31",
    )
    by_amount = {s["amount"]["value"]: s for s in got}
    assert by_amount[150_000_000]["prior"] is False
    assert by_amount[50_000_000]["prior"] is True and by_amount[50_000_000]["date"]["value"] == "2019"
    assert by_amount[35_000_000]["prior"] is True
    assert by_amount[35_000_000]["target"]["name"] == "Amazon"
    assert all(s["authority"]["id"] == "fr-cnil" for s in got)


def test_respectively_pairs_authorities_and_amounts(extractor):
    got = sanctions(
        extractor,
        "Italy and the United Kingdom previously fined Clearview 20 million euros and "
        "7.55 million pounds respectively, a privacy-law breach under the GDPR.",
    )
    pairs = sorted((s["authority"]["country"], s["amount"]["currency"]) for s in got if s["amount"])
    assert pairs == [("GB", "GBP"), ("IT", "EUR")]


def test_headline_and_body_repeat_one_fine(extractor):
    text = (
        "ICO fines TikTok £12.7 million for misusing children's data\n4 April 2023\n\n"
        "The Information Commissioner's Office (ICO) has issued a £12,700,000 fine to TikTok Information "
        "Technologies UK Limited for a number of breaches of data protection law."
    )
    got = sanctions(extractor, text)
    money = [s for s in got if s["amount"]]
    assert len(money) == 1
    assert money[0]["amount"]["value"] == 12_700_000 and money[0]["amount"]["currency"] == "GBP"
    assert money[0]["authority"]["id"] == "gb-ico"
    assert money[0]["date"]["value"] == "2023-04-04"


@pytest.mark.parametrize(
    "text,kind",
    [
        ("The Garante banned Replika from processing the data of Italian users.", "ban"),
        ("Google agreed to pay $391.5 million to settle with 40 states over location tracking.", "settlement"),
        ("The regulator ordered Uber to stop the transfers within nine months.", "order"),
        ("The authority imposed a periodic penalty of €100,000 per day on Apple until it complies.", "penalty"),
    ],
)
def test_kinds(extractor, text, kind):
    got = sanctions(extractor, text, published="2024-01-10")
    assert [s["kind"] for s in got] == [kind]


def test_ambiguous_dollar_is_settled_by_the_authority_country(extractor):
    [s] = sanctions(extractor, "The Office of the Privacy Commissioner of Canada fined the firm $2 million.")
    assert s["amount"]["currency"] == "CAD"


def test_parts_of_a_total_are_one_sanction(extractor):
    got = sanctions(
        extractor,
        "The Competition Commission fined Grab Rp7.5 billion under Article 14 and Rp22.5 "
        "billion under Article 19. In total, the Commission fined Grab Rp30 billion.",
        published="2020-07-03",
    )
    assert sorted(s["amount"]["value"] for s in got) == [30_000_000_000]


def test_tracker_list_lines(extractor):
    text = (
        "All the fines the competition authority imposed this year\n31 December 2021\n\n"
        "Google – €102 million (May). Abuse of a dominant position in Android Auto.\n\n"
        "Apple and Amazon – €134.5 million and €68.7 million (November). A restrictive agreement.\n"
    )
    got = sanctions(extractor, text)
    rows = sorted((s["target"]["name"], s["amount"]["value"], s["date"]["value"] if s["date"] else None) for s in got)
    assert rows == [
        ("Amazon", 68_700_000, "2021-11"),
        ("Apple", 134_500_000, "2021-11"),
        ("Google", 102_000_000, "2021-05"),
    ]


def test_breakdown_sentence_splits_a_fine(extractor):
    got = extractor.extract(
        "公正取引委員会は30日、電力3社に課徴金の納付を命じた。内訳は中国電力が約707億円、九州電力が約27億6000万円。",
        published="2023-03-30",
        language="ja",
    ).to_dict()["sanctions"]
    rows = sorted((s["target"]["name"], s["amount"]["value"], s["amount"]["approximate"]) for s in got if s["amount"])
    assert rows == [("Chugoku Electric Power", 70_700_000_000, True), ("Kyushu Electric Power", 2_760_000_000, True)]
    assert all(s["authority"]["id"] == "jp-jftc" for s in got)


def test_record_block_dated_by_its_field_line(extractor):
    text = (
        "Selected decisions\nLast updated: 29 July 2022\n\n"
        "Greece\nDate of decision: 13 July 2022\nAuthority: Hellenic Data Protection Authority (HDPA)\n"
        "Summary: The Hellenic DPA has imposed a fine of EUR 20,000,000 on Clearview AI Inc.\n"
    )
    [s] = sanctions(extractor, text)
    assert s["date"]["value"] == "2022-07-13" and s["prior"] is False
    assert s["amount"]["value"] == 20_000_000 and s["authority"]["id"] == "gr-hdpa"


def test_parts_of_each_partys_total_are_dropped_largest_total_first(extractor):
    # 1 + 2 = 3 would pass for a breakdown if the smallest total were tried first
    text = (
        "Regulator fines two carriers over roaming charges\n\n12 March 2025\n\n"
        "Ofcom fined Alpha Telecom £3 million and Beta Mobile £1 million for misleading roaming tariffs. "
        "For the second breach, Alpha Telecom was fined £2 million and Beta Mobile £6 million. "
        "In total Alpha Telecom must pay £5 million and Beta Mobile £7 million.\n"
    )
    got = [(s["target"]["name"], s["amount"]["value"]) for s in sanctions(extractor, text)]
    assert got == [("Alpha Telecom", 5_000_000), ("Beta Mobile", 7_000_000)]
