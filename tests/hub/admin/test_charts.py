"""Charts (issue 14): empty-window minutes by window × hour, late and 旷工 per day, 差评 per window, as SVG."""
import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from hub.admin.charts import empty_minutes_by_hour

from ..conftest import DAY, local, script


@pytest.fixture
def rough_day(terminal, clock):
    """w03 on DAY: 陈静 leaves 10:40–11:20 with nobody at the window, a 1 rating at 11:30, late after lunch."""
    day = script("win-03")
    day.presence("08:20", "A")
    day.presence("10:40", "A", False)
    day.presence("11:20", "A")
    day.rating("11:30:20", day.done("11:30"), 1)
    day.presence("12:06", "A", False)
    day.presence("14:45", "A")
    day.presence("17:36", "A", False)
    day.clock(local(DAY + timedelta(days=1), "00:00:10"))
    clock.set(local(DAY + timedelta(days=1), "00:00:20"))
    assert terminal.push(day.facts).status_code == 200
    return day


def titles(svg_html, chart_id):
    """The tooltips of the chart *chart_id* on the page, as {text before the colon: value}."""
    block = re.search(rf'id="{chart_id}">(.*?)</div>', svg_html, re.S).group(1)
    return {name: value for name, value in re.findall(r"<title>([^<:]+): ([\d.]+)", block)}


def test_an_interval_is_split_at_the_hour_marks():
    tz = ZoneInfo("Asia/Shanghai")
    rows = [{"window": "w1", "start": local(DAY, "10:40").isoformat(), "end": local(DAY, "12:05").isoformat()}]
    assert dict(empty_minutes_by_hour(rows, tz)) == {("w1", "10"): 20, ("w1", "11"): 60, ("w1", "12"): 5}


def test_the_charts_show_where_and_when(rough_day, client, auth):
    auth.login()
    page = client.get(f"/admin/charts?from={DAY}&to={DAY}").text
    heat = {cell: minutes for cell, minutes in titles(page, "chart-empty").items() if minutes != "0"}
    assert heat == {"3号窗口 民政救助 10": "20", "3号窗口 民政救助 11": "20", "3号窗口 民政救助 14": "15"}  # and late
    assert titles(page, "chart-daily") == {"11-24 迟到": "1", "11-24 旷工": "0"}
    assert titles(page, "chart-ratings")["3号窗口 民政救助 1–2分评价"] == "1"


def test_a_department_viewer_sees_only_their_windows(rough_day, client, auth):
    """The viewer of 民政 sees w03 on the charts and no 社保 window."""
    auth.login("viewer")
    page = client.get(f"/admin/charts?from={DAY}&to={DAY}").text
    assert "3号窗口 民政救助 10" in page and "社保医保" not in page


def test_each_rated_window_has_its_daily_average_trend(rough_day, terminal, clock, client, auth):
    """w03's two rated days show as two points of its own trend; an unrated window has none."""
    next_day = DAY + timedelta(days=1)
    later = script("win-03", day=next_day, first_seq=rough_day.seq + 1)
    later.presence("08:20", "A")
    later.rating("09:00:20", later.done("09:00"), 5)
    later.rating("09:30:20", later.done("09:30"), 4)
    later.clock("09:40")
    clock.set(local(next_day, "09:41"))
    assert terminal.push(later.facts).status_code == 200
    auth.login()
    page = client.get(f"/admin/charts?from={DAY}&to={next_day}").text
    block = re.search(r'id="trend-w03">(.*?)</figure>', page, re.S).group(1)
    assert "3号窗口" in block
    assert re.findall(r"<title>([\d-]+): ([\d.]+)</title>", block) == [(DAY.isoformat(), "1.00"),
                                                                        (next_day.isoformat(), "4.50")]
    assert 'id="trend-w01"' not in page
