"""The names in a list of bodies as a document writes it, and whether words start a body's name.

"Sở Tài chính, Sở Văn hóa, Thể thao và Du lịch và Ủy ban nhân dân các xã, phường": commas and
"và" separate the bodies of a list only where a new body's name starts, since a name may hold
both ("Sở Văn hóa, Thể thao và Du lịch", "Sở Khoa học và Công nghệ", "Sở Lao động - Thương binh
và Xã hội"). Responsibility lines, block headings (:mod:`workflows.reading.named_bodies`) and an
appendix table's cells (:mod:`workflows.reading.appendix_columns`) split their lists here.

Pure: text in, names out.
"""

import re
from collections.abc import Sequence

from config.folding import fold
from workflows.reading.registry_lookup import EDGE

BODY_WORDS = tuple(
    fold(word) + " "
    for word in (
        "Sở", "Ban", "Ủy ban", "UBND", "HĐND", "Hội đồng", "Đảng ủy", "Đảng đoàn", "Tổ đảng", "Chi bộ",
        "Huyện ủy", "Thị ủy", "Thành ủy", "Tỉnh ủy", "Quận ủy", "Văn phòng", "Mặt trận", "MTTQ", "Công an",
        "Bộ", "Cục", "Chi cục", "Trung tâm", "Hội", "Liên đoàn", "Tỉnh đoàn", "Đoàn", "Thanh tra", "Kho bạc",
        "Ngân hàng", "Viện", "Trường", "Bảo hiểm", "Đài", "Báo", "Tòa án", "Cơ quan", "Liên minh", "Thường trực",
        "BCSĐ", "Bộ Chỉ huy", "Bộ đội", "Hiệp hội", "Liên hiệp", "Quỹ", "Công ty", "Tổng công ty",
        "Học viện", "Đại học", "Bảo tàng", "Thư viện", "Chi nhánh", "Cảnh sát",
        "Huyện đoàn", "Thành đoàn", "Thị đoàn", "Quận đoàn", "Quản lý thị trường", "Tổng Liên đoàn", "Tổng cục",
        "Bộ đội Biên phòng", "Viện kiểm sát", "Kiểm toán", "Hải quan", "Cục Thuế", "Chi cục Thuế",
        "Các sở", "Các ban", "Các huyện ủy", "Các đảng ủy", "Các cơ quan", "Các tổ chức", "Các đoàn thể", "Đồng chí",
    )
) + tuple(fold(word) for word in ("Tỉnh ủy", "Huyện ủy", "Thị ủy", "Thành ủy", "UBND tỉnh", "Đảng ủy"))
"""How a body's name starts ("Sở ...", "Ban cán sự đảng ...", "Tổ đảng ..."); a heading or a
listed name that starts otherwise is not taken for a body."""
_GENERIC = ("liên quan", "có liên quan")
"""Words of a group rather than a body ("các sở, ngành liên quan"): dropped, never suggested."""
_COLLECTIVE = re.compile(r"(?:^|\s)(?:các|những|mọi)\s|\b(?:bộ|sở), ngành\b|\bđịa phương$")
"""Words of a collective name ("Ủy ban nhân dân các tỉnh, thành phố ...", "các bộ, ngành, địa
phương"): many bodies under one name, kept as written but never one body to register."""
VERBS = (
    "chủ trì|phối hợp|thực hiện|theo dõi|tham mưu|triển khai|tổ chức|xây dựng|hướng dẫn|đôn đốc|báo cáo|kiểm tra|"
    "nghiên cứu|rà soát|tổng hợp|bố trí|cân đối|hỗ trợ|ban hành|hoàn thành|cập nhật|đề xuất|tuyên truyền|đánh giá|"
    "giúp|bảo đảm|đảm bảo|đưa|phổ biến|quán triệt|chỉ đạo|lãnh đạo|giám sát|thẩm định|chịu trách nhiệm|"
    "có trách nhiệm|phụ trách|làm đầu mối|tăng cường|đẩy mạnh|khẩn trương"
)
"""What a body does, in lower case ("Ban Tổ chức" is a name, "tổ chức thực hiện" a verb)."""
_VERB_ENDS = re.compile(rf"(?<![Bb]an)\s+(?:{VERBS})\b.*$")
"""A verb ends a body's name: "Ban Tổ chức Tỉnh ủy chủ trì, phối hợp" names "Ban Tổ chức Tỉnh ủy",
"Sở Nội vụ bố trí kinh phí ...", "Ủy ban Kiểm tra Huyện ủy đưa nội dung ..." name "Sở Nội vụ" and
"Ủy ban Kiểm tra Huyện ủy". Right after "ban" the words are the name's ("Ủy ban kiểm tra", "Ban
tổ chức", "Ban chỉ đạo"), in whatever case the document writes them."""


def is_body(name: str) -> bool:
    folded = fold(name) + " "
    return folded.startswith(BODY_WORDS) and not any(word in folded for word in _GENERIC)


def is_collective(name: str) -> bool:
    """Whether a name stands for many bodies ("Ủy ban nhân dân các xã, phường", "các bộ, ngành,
    địa phương"): the document's words are kept, but there is no one body to register for them."""
    return bool(_COLLECTIVE.search(fold(name)))


def _starts_a_name(piece: str) -> bool:
    """Whether a piece of a list starts another body: a capital and a body's first word ("Sở Tư
    pháp", "Ủy ban nhân dân các xã"), or a group ("các sở ..."). "Thể thao và Du lịch", "ban,
    ngành", "thị xã", "Thương binh và Xã hội" do not: they go on the name before them."""
    starts = piece[:1].isupper() or piece.startswith("các ")
    return starts and (fold(piece) + " ").startswith(BODY_WORDS)


def glue(pieces: Sequence[str], separators: Sequence[str]) -> list[str]:
    """The names of a list cut at ``separators`` (``separators[i]`` stands before ``pieces[i + 1]``):
    a piece that does not start a body's name goes back on the one before it, with its separator
    ("Sở Văn hóa" "," "Thể thao và Du lịch" -> "Sở Văn hóa, Thể thao và Du lịch"; "Sở Lao động"
    " - " "Thương binh và Xã hội" -> one name)."""
    names: list[str] = []
    for index, piece in enumerate(pieces):
        piece = " ".join(piece.split())
        if names and names[-1] and piece and not _starts_a_name(piece):
            mark = separators[index - 1].strip()
            names[-1] += (mark + " " if mark in ",;" else f" {mark} ") + piece
        elif piece:
            names.append(piece)
    return names


def split_names(text: str) -> list[str]:
    """The bodies in a list as a document writes it: "Sở Nội vụ, Sở Tài chính và các cơ quan liên
    quan" -> ["Sở Nội vụ", "Sở Tài chính"]. "và" separates two names only when both sides start
    like a body ("Sở Khoa học và Công nghệ" is one), and a comma only when a body's name follows
    ("Sở Văn hóa, Thể thao và Du lịch" is one); groups ("các ... liên quan") are dropped, and a
    verb ends a name ("Ban Tổ chức Tỉnh ủy chủ trì")."""
    pieces = re.split(r"(\s*[,;]\s*)", text.strip(EDGE))
    parts = glue(pieces[0::2], pieces[1::2])
    names = (_VERB_ENDS.sub("", name).strip(EDGE) for part in parts for name in _split_and(part))
    return [name for name in names if is_body(name) and not _is_plural_group(name)]


def _split_and(part: str) -> list[str]:
    """Split at each "và"/"với" that a body's name or a group ("và các bộ, ngành, địa phương",
    dropped after) follows."""
    pieces = re.split(r"\s+(?:và|với)\s+", part)
    names = [pieces[0]]
    separators = re.findall(r"\s+(?:và|với)\s+", part)
    for separator, piece in zip(separators, pieces[1:], strict=True):
        if is_body(piece) or piece.startswith("các "):
            names.append(piece)
        else:
            names[-1] += separator + piece
    return [name.strip(EDGE) for name in names]


def _is_plural_group(name: str) -> bool:
    """"các sở", "các ban, ngành": a kind of body, not one the registry could hold."""
    words = fold(name).split()
    return words[0] == "các" and len(words) <= 2
