"""When a handover still waiting for the other post escalates: the terminal chirps and blinks faster.

Y AB岗工作制度 第二条: "A岗不在时,必须提前向B岗做好交接工作 … 特殊情况B岗要主动补岗" (R4: the B lamp blinks until B
takes the post). A handover nobody has taken after ``rules.handover_alert_s`` (hall config, default 120 s) is
escalated: at the terminal, judged locally with or without the hub, and on the office's alerts. Pure: the
instant judged ("now") is always passed in.
"""
from datetime import timedelta


def escalates_at(requested, rules):
    """The instant a handover requested at *requested* escalates if nobody takes it: ``handover_alert_s`` later."""
    return requested + timedelta(seconds=rules.handover_alert_s)


def escalated(requested, at, rules):
    """True when a handover requested at *requested* (None: none waiting) still waits at *at*, past the threshold."""
    return requested is not None and at > escalates_at(requested, rules)
