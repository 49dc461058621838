"""Which authority a sanction gets: generic and demonym phrases, names the knowledge base is unsure of, courts,
countries that are no authority."""

from __future__ import annotations


def authorities(extractor, text, lang="en", published="2024-05-02"):
    record = extractor.extract(text, published=published, language=lang).to_dict()
    return [(s["authority"] or {}).get("id") for s in record["sanctions"]]


def test_demonym_with_generic_head_is_the_named_authority_of_that_country(extractor):
    # "US authorities" is the US body the article names, not the country's default for the sector
    got = authorities(
        extractor,
        "Federal prosecutors at the US Department of Justice charged Acme Exchange last year. "
        "On Tuesday US authorities said the firm had agreed to pay $300m.",
    )
    assert got == ["us-doj"]


def test_anaphor_after_a_demonym_goes_to_the_linked_authority(extractor):
    got = authorities(
        extractor,
        "The Federal Office of Justice opened two cases against Blue Messenger in March. "
        "Last week German authorities fined Blue Messenger €2 million. "
        "The authority said it also fined Red Social €1 million.",
    )
    assert got == ["de-bfj", "de-bfj"]


def test_a_country_without_an_authority_of_the_sector_is_no_authority(extractor):
    # "dollari USA" names a currency's country; the sanction is the Garante's of the paragraph before
    got = authorities(
        extractor,
        "Il Garante per la protezione dei dati personali ha aperto un'istruttoria su Beta Srl.\n\n"
        "Lo scorso anno aveva inflitto una multa di 3 milioni di euro (circa 3,2 milioni di dollari USA) "
        "alla società Gamma Srl.",
        lang="it",
    )
    assert got == ["it-garante"]


def test_an_alias_in_capitals_matches_by_case_like_an_abbreviation(extractor):
    # "Om" (Dutch "for") is not the OM, the public prosecutor
    got = authorities(
        extractor,
        "De Autoriteit Persoonsgegevens heeft een onderzoek geopend naar Delta BV. "
        "Om die reden kreeg het bedrijf een boete van 1 miljoen euro.",
        lang="nl",
    )
    assert got == ["nl-ap"]
    got = authorities(extractor, "Het OM heeft Delta BV een boete van 2 miljoen euro opgelegd.", lang="nl")
    assert got == ["nl-om"]


def test_a_demonym_before_a_name_leaves_the_name_whole(extractor):
    # "nederlandse" + the generic head "autoriteit" must not cut "autoriteit persoonsgegevens (ap)" in two
    got = authorities(
        extractor,
        "de nederlandse autoriteit persoonsgegevens (ap) heeft een onderzoek naar zeta bv afgerond. "
        "zeta bv moet volgens de ap een boete van 3 miljoen euro betalen.",
        lang="nl",
    )
    assert got == ["nl-ap"]


def test_an_unattributed_sanction_goes_to_the_last_regulator_not_the_union_a_law_belongs_to(extractor):
    got = authorities(
        extractor,
        "La Agencia Española de Protección de Datos abrió un expediente contra Omega SA por incumplir el "
        "reglamento de la Unión Europea.\n\nEl año pasado, la misma agencia ya había multado a Omega SA con "
        "2 millones de euros.",
        lang="es",
    )
    assert got == ["es-aepd"]


def test_an_ambiguous_alias_goes_back_to_the_named_authority_it_shortens(extractor):
    # "the Commission" is the European Commission only when no other commission was named before
    got = authorities(
        extractor, "The Federal Trade Commission sued Kappa Inc in March. On Monday the Commission fined Kappa Inc $5m."
    )
    assert got == ["us-ftc"]
    got = authorities(extractor, "On Monday the Commission fined Kappa Inc €5m for abusing its dominant position.")
    assert got == ["eu-commission"]


def test_the_same_court_is_a_reference_back_to_the_court(extractor):
    got = authorities(
        extractor,
        "Арбитражный суд Москвы рассмотрел иск к компании «Омега». Роскомнадзор ранее составил на компанию "
        "протокол. В марте тот же суд оштрафовал компанию «Омега» на 5 млн рублей.",
        lang="ru",
    )
    assert got == ["ru-moscow-arbitrazh"]


def test_the_party_that_asked_for_a_sanction_is_not_its_authority(extractor):
    got = authorities(
        extractor,
        "Таганский районный суд Москвы по иску Роскомнадзора оштрафовал компанию «Омега» на 3 млн рублей.",
        lang="ru",
    )
    assert got == ["ru-tagansky"]


def test_a_named_authority_before_the_trigger_beats_a_place_between(extractor):
    got = authorities(
        extractor,
        "The Autorité de la concurrence said that Rho SA, which sells its devices across Germany, must pay a "
        "fine of €5 million.",
    )
    assert got == ["fr-adlc"]


def test_a_bare_sector_head_refers_back_in_a_language_without_articles(extractor):
    got = authorities(
        extractor,
        "Tietosuojavaltuutetun toimisto aloitti selvityksen Sigma Oy:stä vuonna 2022.\n\n"
        "Vuonna 2023 tietosuojaviranomainen määräsi Sigma Oy:lle 50 000 euron seuraamusmaksun. "
        "Finanssivalvonta tarkastaa nyt yhtiön muita toimia.",
        lang="fi",
    )
    assert got == ["fi-tietosuoja"]


def test_a_country_gives_way_to_a_body_of_that_country_named_in_the_sentence(extractor):
    got = authorities(
        extractor,
        "Sigma Bank's penalty beats the previous record in the US, the $1bn fine that the Department of Justice "
        "imposed on Tau Bank in 2012.",
    )
    assert got == ["us-doj"]


def test_a_headline_naming_only_a_country_takes_the_body_s_named_authority(extractor):
    got = authorities(
        extractor,
        "Omega agrees to pay $200m to US\n\nOmega Inc has agreed to pay $200m to end claims that it broke US "
        "securities and banking law, the Department of Justice said on Monday.",
    )
    assert got == ["us-doj"]


def test_a_court_that_upheld_a_decision_does_not_take_the_next_unattributed_fine(extractor):
    got = authorities(
        extractor,
        "In 2015 the European Commission fined Omega €500m for tying its products, a decision the General Court "
        "upheld in 2019. In 2017 it added a €300m fine for exclusivity clauses.",
    )
    assert got == ["eu-commission", "eu-commission"]


def test_a_relative_clause_after_the_amount_names_who_imposed_it(extractor):
    # the Council of State confirms the fine; the competition authority imposed it
    got = authorities(
        extractor,
        "Il Consiglio di Stato ha confermato la sanzione di 10 milioni di euro che l'Autorità Garante della "
        "Concorrenza e del Mercato aveva inflitto a Beta Srl nel 2019.",
        lang="it",
    )
    assert got == ["it-agcm"]


def test_the_states_office_is_that_of_the_region_the_article_names(extractor):
    text = (
        "SACRAMENTO - Google will pay $93 million to settle a lawsuit brought by California over its "
        "location-tracking practices, the state's attorney general, Rob Bonta, announced on Thursday. "
        "California had accused the company of deceiving users."
    )
    assert authorities(extractor, text) == ["us-ag-ca"]
