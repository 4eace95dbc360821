"""The password policy: length, not a common password, not built on the user name; enforced wherever one is set."""
import pytest

from hub import passwords

from .conftest import PASSWORD


@pytest.mark.parametrize("password, rule", [
    ("aaaaaaaa", "password_too_short"), ("12345678", "password_too_short"), ("x" * 129, "password_too_long"),
    ("abababababab", "password_repetitive"), ("1234567890", "password_common"), ("QwertyUiop", "password_common"),
    ("password123", "password_common"), ("woaini1314", "password_common"), ("clerk-admin-2026", "password_has_username"),
])
def test_weak_passwords_are_refused_with_the_rule_they_break(password, rule):
    with pytest.raises(passwords.WeakPassword) as refused:
        passwords.check_policy(password, "Clerk-Admin")
    assert refused.value.key == rule and str(refused.value).startswith("password: ")


@pytest.mark.parametrize("password", [PASSWORD, "窗口办事大厅值班密码", "abc" * 42 + "de"])
def test_good_passwords_pass(password):
    passwords.check_policy(password, "clerk-admin")


def test_the_shipped_list_holds_only_passwords_the_length_rule_lets_through():
    common = passwords.common_passwords()
    assert len(common) > 1000 and min(map(len, common)) >= passwords.MIN_LENGTH
    assert all(p == p.lower() for p in common)


@pytest.mark.parametrize("weak, message", [("aaaaaaaa", "密码至少需要10个字符"), ("12345678", "密码至少需要10个字符"),
                                           ("1234567890", "最常见的密码"), ("newclerk-pass", "密码不能包含用户名")])
def test_the_office_cannot_give_an_account_a_weak_password(web, store, weak, message):
    admin = web()
    admin.login()
    answer = admin.post("/admin/setup/user", username="newclerk", password=weak, role="office")
    assert answer.status_code == 302 and message in admin.get("/admin/setup").text
    assert store.users.by_name("newclerk") is None


def test_a_new_account_gets_a_good_password_and_can_log_in(web, store):
    admin = web()
    admin.login()
    admin.post("/admin/setup/user", username="newclerk", password="long enough and rare", role="auditor")
    assert store.users.by_name("newclerk")["role"] == "auditor"
    assert web().login("newclerk", "long enough and rare").status_code == 302


def test_a_password_change_is_checked_against_the_policy_and_repeated(web, store):
    browser = web()
    browser.login()
    before = store.users.by_name("office")["password_hash"]
    weak = browser.post("/admin/account/password", current_password=PASSWORD, new_password="1234567890",
                        repeat_password="1234567890")
    assert weak.status_code == 400 and "最常见的密码" in weak.text
    differ = browser.post("/admin/account/password", current_password=PASSWORD, new_password="one good phrase",
                          repeat_password="another phrase")
    assert differ.status_code == 400 and "两次输入的新密码不一致" in differ.text
    assert store.users.by_name("office")["password_hash"] == before
