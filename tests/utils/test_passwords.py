from healix.utils import passwords


def test_hash_and_verify():
    hashed = passwords.hash_password("a-Long-unique-passphrase-7", rounds=4)
    assert passwords.verify_password("a-Long-unique-passphrase-7", hashed)
    assert not passwords.verify_password("a-Long-unique-passphrase-8", hashed)
    assert not passwords.verify_password("x" * 80, hashed)
    assert not passwords.verify_password("anything", None)


def test_policy():
    assert passwords.policy_violations("a-Long-unique-passphrase-7") == []
    assert passwords.policy_violations("qwerty123456")
    assert passwords.policy_violations("Password2024!!")
    assert passwords.policy_violations("jane.doe-rocks-2026", email="jane.doe@example.com")
