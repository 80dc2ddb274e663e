from jmu_planner.text import serbian_sort_key, to_cyrillic, to_latin


def test_transliteration_both_ways_with_digraphs():
    assert to_latin("Љубовија") == "Ljubovija"
    assert to_latin("ЊЕГОШ") == "NJEGOŠ"
    assert to_cyrillic("Ljubovija") == "Љубовија"
    assert to_cyrillic("Džep Čačak Đurđevo") == "Џеп Чачак Ђурђево"
    assert to_cyrillic(to_latin("Шабац, Ћуприја")) == "Шабац, Ћуприја"


def test_serbian_alphabetical_order():
    names = [
        "Žitište",
        "Zaječar",
        "Ćuprija",
        "Čačak",
        "Cerovo",
        "Šabac",
        "Sombor",
        "Đurđevo",
        "Doljevac",
    ]
    assert sorted(names, key=serbian_sort_key) == [
        "Cerovo",
        "Čačak",
        "Ćuprija",
        "Doljevac",
        "Đurđevo",
        "Sombor",
        "Šabac",
        "Zaječar",
        "Žitište",
    ]
