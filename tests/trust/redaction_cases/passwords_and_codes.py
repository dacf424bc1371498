"""Passwords and one-time codes given after a label, in English and Chinese: only the
value must go."""

from __future__ import annotations

from .generated import Case

PASSWORD_CASES = [
    Case("my password is hunter2!", ("password",), ("hunter2!",)),
    Case("password: Abc12345", ("password",), ("Abc12345",)),
    Case("login: trader88@mail.com pwd=Qx!9vLm#2", ("password",), ("Qx!9vLm#2",)),
    Case("密码是 abc123456", ("password",), ("abc123456",)),
    Case("登录密码：Sunny2024#，帮我登一下看看", ("password",), ("Sunny2024#",)),
    Case("资金密码是 135790", ("password",), ("135790",)),
    Case("交易密码 Tr@de7788 我忘了是不是这个", ("password",), ("Tr@de7788",)),
    Case(
        "My password for the exchange is Moonshot$99, I changed it yesterday",
        ("password",),
        ("Moonshot$99",),
    ),
    Case('the new password was "correct horse 42"', ("password",), ("correct horse 42",)),
    Case("Password = P@ssw0rd!! please log in and check my orders", ("password",), ("P@ssw0rd!!",)),
    Case("pw: Lily_0908", ("password",), ("Lily_0908",)),
    Case("密码123qweASD 你们登录试试", ("password",), ("123qweASD",)),
    Case("我的登录密码为 Zz88990011", ("password",), ("Zz88990011",)),
    Case(
        "email is mia.wong@example.com and passwd is mia1988wong", ("password",), ("mia1988wong",)
    ),
    Case("The password is 'Kx7-Rain-Fall' without the quotes.", ("password",), ("Kx7-Rain-Fall",)),
    Case("passphrase: blue-Tiger-2077", ("password",), ("blue-Tiger-2077",)),
    Case("支付密码：885201", ("password",), ("885201",)),
    Case("password Hk2020abc", ("password",), ("Hk2020abc",)),
]

ONE_TIME_CODE_CASES = [
    Case("my 2FA code is 123456", ("one_time_code",), ("123456",)),
    Case("the SMS code 482910", ("one_time_code",), ("482910",)),
    Case("验证码 382910", ("one_time_code",), ("382910",)),
    Case("谷歌验证码是 123 456", ("one_time_code",), ("123 456",)),
    Case("短信验证码：604217，快点帮我提现", ("one_time_code",), ("604217",)),
    Case("Google Authenticator code: 771 902, it expires soon", ("one_time_code",), ("771 902",)),
    Case("email verification code 5531 — does that help?", ("one_time_code",), ("5531",)),
    Case("OTP = 90817263", ("one_time_code",), ("90817263",)),
    Case("邮箱验证码是309155", ("one_time_code",), ("309155",)),
    Case("谷歌验证器 441-208", ("one_time_code",), ("441-208",)),
    Case(
        "You asked for my verification code: 286031. Can you unlock now?",
        ("one_time_code",),
        ("286031",),
    ),
    Case("2fa 918273 please reset my withdrawal address", ("one_time_code",), ("918273",)),
    Case("動態密碼 452310", ("one_time_code",), ("452310",)),
    Case("withdrawal code is 330918", ("one_time_code",), ("330918",)),
    Case("security code 7712 from the app", ("one_time_code",), ("7712",)),
]
