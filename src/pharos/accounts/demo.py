"""Demo sign-ins (listed in the README). Never load these into a real deployment."""

from __future__ import annotations

from django.db import transaction

from . import services
from .models import Customer, StaffRole, User

DEMO_PASSWORD = "pharos-demo-2026"  # noqa: S105 (demo sign-ins, listed in the README)

DEMO_CUSTOMERS = [
    # uid, email, phone, name, language, anti-phishing code
    ("10000001", "lin.mei@example.com", "+86 138 0000 0001", "Lin Mei", "zh-hans", "LIGHTHOUSE"),
    ("10000002", "daniel@example.com", "+44 7700 900002", "Daniel Okafor", "en", "BLUE-HERON"),
    ("10000003", "zhang.wei@example.com", "+86 139 0000 0003", "Zhang Wei", "zh-hans", "潮汐2026"),
    ("10000004", "sofia@example.com", "", "Sofia Marin", "en", ""),
    ("10000005", "", "+86 137 0000 0005", "Chen Jing", "zh-hans", "NIGHTJAR"),
]

DEMO_STAFF = [
    # email, role, name, languages
    ("agent@tidewell.example", StaffRole.AGENT, "Ava Agent", ["en", "zh-hans"]),
    ("agent.zh@tidewell.example", StaffRole.AGENT, "王小雨", ["zh-hans"]),
    ("security@tidewell.example", StaffRole.SECURITY_AGENT, "Sam Security", ["en", "zh-hans"]),
    ("vip@tidewell.example", StaffRole.VIP_MANAGER, "Vivian VIP", ["zh-hans", "en"]),
    ("admin@tidewell.example", StaffRole.SUPPORT_ADMIN, "Adrian Admin", ["en", "zh-hans"]),
]


@transaction.atomic
def load_demo_people() -> int:
    created = 0
    for uid, email, phone, name, language, code in DEMO_CUSTOMERS:
        if email and User.objects.filter(email=email).exists():
            continue
        if Customer.objects.filter(uid=uid).exists():
            continue
        services.create_customer(
            uid=uid, email=email or None, phone=phone, display_name=name, language=language,
            password=DEMO_PASSWORD, anti_phishing_code=code,
        )  # fmt: skip
        created += 1
    for email, role, name, languages in DEMO_STAFF:
        if User.objects.filter(email=email).exists():
            continue
        services.create_staff_member(
            email=email, role=role, display_name=name, password=DEMO_PASSWORD, languages=languages
        )
        created += 1
    return created
