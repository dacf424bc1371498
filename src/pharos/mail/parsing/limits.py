"""How much of a mail is read: limits that keep a hostile message from exhausting the
parser, and the few fixed strings the parts share."""

MAX_NESTING_DEPTH = 20
MAX_PARTS = 1000
MAX_HEADER_FIELDS = 1000
MAX_HEADER_LENGTH = 64 * 1024
# HTML nested deeper is flattened before nh3 sees it: html5ever's tree builder takes time
# proportional to the nesting depth for each tag, so 50,000 nested <span>s cost minutes.
MAX_HTML_DEPTH = 100
MAX_SUBJECT_LENGTH = 250
MAX_FILENAME_LENGTH = 120
# Threading needs the first reference (the thread's root) and the newest ones; a header
# with thousands of ids is an attack on the lookup, not a conversation.
MAX_REFERENCES = 100
MAX_TRIM_CANDIDATES = 10_000
# The language of a mail shows in its first lines; counting more only costs time.
LANGUAGE_SAMPLE_LENGTH = 2000
FORWARDED_SEPARATOR = "---------- Forwarded message ----------"
