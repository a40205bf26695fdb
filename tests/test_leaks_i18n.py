"""The rule that finds English sentences in a Korean or Japanese edition (tests/leaks_i18n.py).

tests/test_browser_i18n.py applies it to what JupyterLab renders; these tests pin down what it
flags and what it leaves alone, on text taken from the editions and the checkers.
"""

from __future__ import annotations

import pytest

from tests.leaks_i18n import english_runs, has_english_word, string_literals, strip_code_literals

VERDICT = ("⏳ 02.sigmoid: not implemented yet. Replace the `raise NotImplementedError` (or the `...`) "
           "with your answer, then run the cell again.")


@pytest.mark.parametrize("text, run", [
    (VERDICT, "not implemented yet. Replace the `raise NotImplementedError` (or the `...`) with your answer, "
              "then run the cell again"),
    ("(c) It depends on the weights w1, w2, w3: the signs can be mixed.",
     "It depends on the weights w1, w2, w3: the signs can be mixed"),
    ("All three are positive.", "All three are positive"),
    ("시그모이드는 NumPy로 작성합니다. Write the sigmoid in NumPy and plot it", "Write the sigmoid in NumPy and plot it"),
])
def test_an_english_sentence_is_found(text, run):
    assert english_runs(text) == [run]


@pytest.mark.parametrize("text", [
    "NumPy로 시그모이드를 작성하고, 그 출력이 왜 항상 0과 1 사이에 있는지 설명할 수 있습니다.",
    "シグモイド関数はNumPyの1行で書いています。float64の結果は x = 36.7 から1.0になります。",
    "`w`를 10까지 올리면 np.exp와 cu.sigmoid_grad, notebooks/ko/02_sigmoid.ipynb, https://cs231n.github.io/neural-networks-1/",
    "Three English words",                      # fewer than four words
    "step(w·x + b) and σ(w·x + b)",             # single letters and Greek are not words
    "GPU CJK MIT Press",                        # acronyms are names
    "JupyterLab ReLU RuntimeWarning DigitalOcean NumPy",
    r"$P(\text{class } 1 \mid \text{input and more words})$ 확률",
    "tanh와 ReLU, 그리고 softmax",
])
def test_korean_or_japanese_text_with_names_and_code_is_not_english(text):
    assert english_runs(text) == []


def test_a_line_break_or_a_korean_word_ends_a_run():
    assert english_runs("one two\nthree four") == []
    assert english_runs("one two 그리고 three four") == []
    assert english_runs("one two, 3.5 - three four") == ["one two, 3.5 - three four"]


def test_a_citation_keeps_its_names_and_quoted_title_but_not_prose():
    entry = 'DigitalOcean, "Sigmoid Activation Function – Python implementation", <https://www.digitalocean.com/x>'
    assert english_runs(entry) == ["Sigmoid Activation Function – Python implementation"]
    assert english_runs(entry, citation=True) == []
    assert english_runs("I. Goodfellow, Y. Bengio, A. Courville, , MIT Press, 2016", citation=True) == []
    assert english_runs(entry + " the source of the five printed lines", citation=True) == [
        "the source of the five printed lines"]


def test_an_explorer_readout_has_english_words_even_when_short():
    readout = "midpoint x = -b/w = 0.00; steepest slope σ'·w = w/4 = 0.25"
    assert english_runs(readout) == []          # three words: no sentence
    assert has_english_word(readout)            # but not translated either
    assert not has_english_word("중간점 x = -b/w = 0.00; 가장 가파른 기울기 σ'·w = w/4 = 0.25")
    assert not has_english_word("w")


def test_what_a_cell_prints_from_its_own_literals_is_code():
    source = ("for x in [1.0, -2.0]:\n"
              "    print('Applying Sigmoid Activation on (%.1f) gives %.1f' % (x, sig(x)))\n"
              "print(f\"the warning shown: {shown[0].message} (a {shown[0].category.__name__})\")\n"
              "nb02.gradient_signs.show()\n")
    assert sorted(string_literals(source)) == [") gives ", "Applying Sigmoid Activation on (", "the warning shown: "]
    output = ("Applying Sigmoid Activation on (1.0) gives 0.7\n"
              "the warning shown: overflow encountered in exp (a RuntimeWarning)\n"
              "(a) All three are positive.\n")
    assert english_runs(output) == ["Applying Sigmoid Activation on (1.0) gives",
                                    "the warning shown: overflow encountered in", "All three are positive"]
    # The cell's own text goes; what course_utils printed (the question's choices) stays.
    assert english_runs(strip_code_literals(output, source)) == ["All three are positive"]


def test_a_value_between_literals_is_still_checked():
    source = 'print(f"result: {message}")'
    assert english_runs(strip_code_literals("result: the answer is not right yet", source)) == [
        "the answer is not right yet"]


def test_source_that_does_not_parse_exempts_nothing():
    assert string_literals("print('unclosed") == []
    assert english_runs(strip_code_literals("this is an English sentence", "print('unclosed")) == [
        "this is an English sentence"]
