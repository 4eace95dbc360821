"""好差评 cases in real headless Chromium (issue 16): a 差评 from the terminal's push to a closed case, and an appeal
from the group leader's filing to the office's decision."""
import pytest

from ..conftest import DAY, local, script
from .conftest import SCREENSHOTS
from .test_admin_browser import DOCS

pytestmark = pytest.mark.browser


@pytest.fixture
def two_bad_ratings(terminal, clock):
    """w03 (陈静) on DAY: services rated 1 at 09:00 and 2 at 10:00, as the keypad's ratings reach the hub."""
    day = script("win-03")
    day.presence("08:20", "A")
    first, second = day.done("09:00"), day.done("10:00")
    day.rating("09:00:20", first, 1)
    day.rating("10:00:20", second, 2)
    day.clock("10:30")
    clock.set(local(DAY, "10:31"))
    assert terminal.push(day.facts).status_code == 200
    return first["seq"], second["seq"]


def open_case(page, service):
    page.goto(f"/admin/cases?month={DAY:%Y-%m}")
    page.locator(f"#cases tr[data-service='{service}'] a").click()
    page.wait_for_selector("#case-state")


def test_a_bad_rating_walked_to_a_closed_case_and_another_appealed_and_decided(open_page, users, two_bad_ratings,
                                                                                  store):
    handled, appealed = two_bad_ratings
    leader = open_page("leader")
    open_case(leader, appealed)
    form = leader.locator("#appeal-form")
    form.locator("select[name=grounds]").select_option("mistaken")
    form.locator("textarea[name=reason]").fill("群众误按，当场表示满意")
    form.locator("button[type=submit]").click()
    leader.wait_for_selector("#case-appeal")
    assert leader.locator("#verify-form").count() == 0, "the steps are the office's"

    office = open_page("office", width=390, height=844)
    open_case(office, handled)
    office.locator("#verify-form textarea[name=finding]").fill("群众对办理时限不满，窗口解释不够")
    office.locator("#verify-form input[name=verified_by]").fill("协调股王芳")
    office.locator("#verify-form button").click()
    office.wait_for_selector("#case-steps li[data-step=verify]")
    assert office.locator("#close-form button").is_disabled()
    office.locator("#rectify-form textarea[name=measure]").fill("完善一次性告知单")
    office.locator("#rectify-form button").click()
    office.wait_for_selector("#case-steps li[data-step=rectify]")
    office.locator("#callback-form select[name=method]").select_option("phone")
    office.locator("#callback-form input[name=reached]").check()
    office.locator("#callback-form select[name=satisfaction]").select_option("satisfied")
    office.locator("#callback-form button").click()
    office.wait_for_selector("#case-steps li[data-step=callback]")
    office.locator("#close-form input[name=note]").fill("已整改，群众满意")
    office.locator("#close-form button").click()
    office.wait_for_selector("#case-closure")
    assert office.locator("#case-state").inner_text() == "已关闭"
    assert office.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "no sideways scroll"
    if SCREENSHOTS:
        office.screenshot(path=str(DOCS / "case-phone.png"), full_page=True)

    open_case(office, appealed)
    office.locator("#decide-form select[name=outcome]").select_option("rejected")
    office.locator("#decide-form textarea[name=decision]").fill("录像显示群众在办结后主动选择")
    office.locator("#decide-form button").click()
    office.wait_for_selector("#case-appeal[data-outcome=rejected]")
    office.goto(f"/admin/cases?month={DAY:%Y-%m}")
    assert office.locator(f"#cases tr[data-service='{handled}']").get_attribute("data-state") == "closed"
    assert office.locator(f"#appeals tr[data-service='{appealed}']").get_attribute("data-outcome") == "rejected"
    assert store.cases.upheld() == set(), "a rejected appeal keeps the rating in the statistics"
