"""Menu mnemonics: one each, unique in its menu, a word's first letter first, an item's own kept."""

from visualizer.app.common.mnemonics import mnemonic, with_mnemonics


def test_each_item_gets_a_free_letter_word_starts_first():
    texts = with_mnemonics(["Step", "Step back", "&Keep this run", "Remove kept curves", "Re&play the run"])
    assert texts == ["&Step", "Step &back", "&Keep this run", "&Remove kept curves", "Re&play the run"]
    assert len({mnemonic(t) for t in texts}) == len(texts)


def test_a_literal_ampersand_is_no_mnemonic():
    assert mnemonic("R&&D.png") is None and mnemonic("&&&x") == "x"
    assert with_mnemonics(["R&&D.png"]) == ["&R&&D.png"]
