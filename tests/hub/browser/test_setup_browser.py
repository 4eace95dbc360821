"""Setup in real headless Chromium: a weekday's checkbox sits beside its word, and no name is cut off."""
import pytest

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1366, 390])
def test_checkboxes_sit_beside_their_days_and_inputs_show_their_whole_value(open_page, users, width):
    page = open_page("office", width=width, height=800)
    page.goto("/admin/setup")
    labels = page.locator("form[action$='/setup/sessions'] label:has(input[type=checkbox])").all()
    assert len(labels) == 14
    for label in labels:
        box, whole = label.locator("input").bounding_box(), label.bounding_box()
        middle, line = box["y"] + box["height"] / 2, whole["y"] + whole["height"] / 2
        assert abs(middle - line) < 4 and whole["height"] < 2 * box["height"] + 8, \
            "the checkbox is on the line of its day, not above it"
    cut = page.evaluate("""() => [...document.querySelectorAll('#setup-windows input[name], #setup-clerks input[name]')]
        .filter(el => el.type !== 'hidden' && el.scrollWidth > el.clientWidth).map(el => el.value)""")
    assert cut == []
