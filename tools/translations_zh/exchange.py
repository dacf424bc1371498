"""Simplified Chinese for the messages that src/pharos/exchange/ uses."""

ZH_HANS = {
    "Exchange (demo)": "交易所（演示）",
}
