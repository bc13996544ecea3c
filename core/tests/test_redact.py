"""Masking personal numbers that people type into public text."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from core.privacy import detection_text, mask_numbers, phone_digest, redact
from core.validators import plain_text_validator


@pytest.mark.parametrize(
    "text",
    [
        "联系我13812345678",
        "电话 138-1234-5678 谢谢",
        "+86 13812345678",
        "座机0714-8812345",
        "身份证420101199001011234",
        "身份证42010119900101123X号",
    ],
)
def test_phone_and_id_numbers_are_masked(text: str) -> None:
    with translation.override("en"):
        out = redact(text)
    digits = "".join(ch for ch in out if ch.isdigit())
    assert len(digits) < 7, out
    assert "hidden]" in out


@pytest.mark.parametrize("text", ["幸福小区3栋2单元501室", "长宇社区12户", "3号房漏水"])
def test_door_numbers_are_masked_but_the_building_stays(text: str) -> None:
    with translation.override("en"):
        out = redact(text)
    assert "door number hidden" in out
    assert "501" not in out and "12户" not in out


@pytest.mark.parametrize("text", ["2022年6月底前完成", "投资1200万元", "幸福小区3栋", "MQ-2022-0001", ""])
def test_ordinary_numbers_are_left_alone(text: str) -> None:
    assert redact(text) == text


def test_a_phone_digest_ignores_formatting_and_never_contains_the_number() -> None:
    assert phone_digest("138-1234-5678") == phone_digest("13812345678")
    assert "13812345678" not in phone_digest("13812345678")


@pytest.mark.parametrize(
    "text", ["<script>alert(1)</script>", "<b>粗体</b>", "<img src=x onerror=alert(1)>", "javascript:alert(1)", "&lt;"]
)
def test_markup_is_refused_in_plain_text(text: str) -> None:
    with pytest.raises(ValidationError):
        plain_text_validator(text)


@pytest.mark.parametrize("text", ["路面破损 < 5 米", "a < b", "满意度>90%", "3 > 2 且 1 < 2"])
def test_comparison_signs_in_plain_text_are_accepted(text: str) -> None:
    plain_text_validator(text)


# --- one normaliser, then the patterns (issue 12) ---------------------------------------------------------------

PHONE, ID, CARD, DOOR = "[phone hidden]", "[ID number hidden]", "[card number hidden]", "[door number hidden]"


def _redact(text: str) -> str:
    with translation.override("en"):
        return redact(text)


def _mask(text: str) -> str:
    with translation.override("en"):
        return mask_numbers(text)


def _digits(text: str) -> str:
    return "".join(ch for ch in detection_text(text) if ch.isdigit())


def test_a_mobile_in_full_width_digits_is_masked() -> None:
    assert _redact("电话１３８１２３４５６７８请回电") == f"电话{PHONE}请回电"


@pytest.mark.parametrize(
    "digits",
    [
        "١٣٨١٢٣٤٥٦٧٨",  # Arabic-Indic
        "۱۳۸۱۲۳۴۵۶۷۸",  # Extended Arabic-Indic (Persian)
        "१३८१२३४५६७८",  # Devanagari
        "১৩৮১২৩৪৫৬৭৮",  # Bengali
        "𝟏𝟑𝟖𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖",  # mathematical bold
        "𝟙𝟛𝟠𝟙𝟚𝟛𝟜𝟝𝟞𝟟𝟠",  # mathematical double-struck
        "①③⑧①②③④⑤⑥⑦⑧",  # circled
    ],
)
def test_a_mobile_in_another_scripts_digits_is_masked(digits: str) -> None:
    assert _redact(f"电话{digits}") == f"电话{PHONE}"
    assert _mask(f"电话{digits}") == f"电话{PHONE}"


@pytest.mark.parametrize(
    "written",
    ["138.1234.5678", "138 1234 5678", "138-1234-5678", "138－1234－5678", "138—1234—5678", "138–1234–5678",
     "138‐1234‑5678", "138·1234·5678", "138/1234/5678", "138_1234_5678", "138\u00a01234\u00a05678",
     "138\u30001234\u30005678", "1 3 8 1 2 3 4 5 6 7 8", "138 - 1234 - 5678"],
)  # fmt: skip
def test_a_mobile_with_separators_between_its_digits_is_masked(written: str) -> None:
    assert _redact(f"请拨{written}联系") == f"请拨{PHONE}联系"


@pytest.mark.parametrize("invisible", ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u202e", "\u2066"])
def test_a_mobile_with_zero_width_or_bidi_characters_between_its_digits_is_masked(invisible: str) -> None:
    assert _redact(f"电话{invisible.join('13812345678')}。") == f"电话{PHONE}。"


@pytest.mark.parametrize(
    "prefixed", ["+8613812345678", "+86 138 1234 5678", "0086-13812345678", "8613812345678", "(+86)13812345678",
                 "（＋８６）１３８１２３４５６７８", "+86-138-1234-5678"],
)  # fmt: skip
def test_a_mobile_after_a_country_prefix_is_masked_with_the_prefix(prefixed: str) -> None:
    assert _redact(f"电话{prefixed}") == f"电话{PHONE}"


def test_a_mobile_dialled_with_the_trunk_zero_is_masked() -> None:
    assert _redact("电话013812345678") == f"电话{PHONE}"


@pytest.mark.parametrize(
    "landline",
    ["0714-8812345", "0714－8812345", "0714—8812345", "(0714)8812345", "（0714）8812345", "[0714]8812345",
     "【0714】8812345", "0714 8812345", "07148812345", "010-62345678", "021 6234 5678"],
)  # fmt: skip
def test_a_landline_with_its_area_code_in_any_bracket_or_after_any_dash_is_masked(landline: str) -> None:
    assert _redact(f"座机{landline}。") == f"座机{PHONE}。"


@pytest.mark.parametrize("extension", ["转123", "-123", " 分机 8", "ext.45", "#6"])
def test_a_landline_extension_is_masked_with_the_number(extension: str) -> None:
    assert _redact(f"座机0714-8812345{extension}。") == f"座机{PHONE}。"


@pytest.mark.parametrize(
    "written",
    ["110105198807071236", "110105 19880707 1236", "110105-19880707-1236", "1101 0519 8807 0712 36",
     "１１０１０５１９８８０７０７１２３６"],
)  # fmt: skip
@pytest.mark.parametrize("prefix", ["身份证号：", "身份证号码:", "ID:", "ID ", "证件号"])
def test_an_18_digit_id_number_with_spaces_or_dashes_after_any_prefix_is_masked(prefix: str, written: str) -> None:
    assert _redact(f"{prefix}{written}。") == f"{prefix}{ID}。"
    assert _mask(f"{prefix}{written}。") == f"{prefix}{ID}。"


@pytest.mark.parametrize("check", ["X", "x", "Ｘ", "ｘ"])
def test_an_id_number_with_an_x_check_character_is_masked_whole(check: str) -> None:
    assert _redact(f"身份证42010119900101123{check}号") == f"身份证{ID}号"


def test_a_15_digit_old_id_number_is_masked() -> None:
    assert _redact("老身份证420101900101123，") == f"老身份证{ID}，"


@pytest.mark.parametrize(
    "card",
    ["6222021234567890", "6222 0212 3456 7890 123", "6222-0212-3456-7890", "４５１６ ６１２３ ４５６７ ８９０１"],
)
def test_a_bank_card_number_is_masked(card: str) -> None:
    assert _redact(f"卡号{card}。") == f"卡号{CARD}。"
    assert _mask(f"卡号{card}。") == f"卡号{CARD}。"


def test_an_id_number_with_a_mistyped_birth_date_is_still_hidden_as_a_long_number() -> None:
    assert _digits(_redact("身份证420101999913311234")) == ""


def test_a_date_next_to_a_phone_stays_and_the_phone_is_masked() -> None:
    assert _redact("2022.6.30 13812345678") == f"2022.6.30 {PHONE}"


def test_two_phones_side_by_side_are_masked_each() -> None:
    assert _redact("13812345678 13912345678") == f"{PHONE} {PHONE}"


def test_dates_and_codes_side_by_side_are_no_card_or_landline() -> None:
    for text in ("2022-06-30 2022-07-31", "MQ-2026-0001 2022-06-30完成", "2022.6.30 2022.7.1 2022.8.15"):
        assert _redact(text) == text


def test_a_card_after_a_date_or_a_code_is_masked_and_the_date_stays() -> None:
    assert _redact("2022-06-30 6222 0212 3456 7890") == f"2022-06-30 {CARD}"
    assert _redact("MQ-2026-0001 6222021234567890") == f"MQ-2026-0001 {CARD}"


def test_a_card_typed_right_after_a_phone_is_masked_whole() -> None:
    assert _digits(_redact("138 1234 5678 6222 0212 3456 7890")) == ""


def test_the_rest_of_the_text_reads_exactly_as_typed() -> None:
    text = "（急）东门１号：电话１３８－１２３４－５６７８，ＩＤ：１１０１０５１９８８０７０７１２３６；谢谢！"
    assert _redact(text) == f"（急）东门１号：电话{PHONE}，ＩＤ：{ID}；谢谢！"


def test_invisible_characters_are_dropped_from_what_is_shown() -> None:
    assert _redact("路灯\u202e坏了\u200b") == "路灯坏了"
    assert _mask("路灯\u202e坏了") == "路灯坏了"


def test_the_detection_text_is_the_normalised_reading() -> None:
    assert detection_text("１３８\u200b－１２３４　٥٦٧٨（【") == "138-1234 5678(["


# Doors: one test per written form. The building (and the compound) stays visible; unit and room are hidden.


def test_building_unit_and_room_hide_unit_and_room_but_keep_the_building() -> None:
    assert _redact("幸福小区3栋2单元501室漏水") == f"幸福小区3栋{DOOR}漏水"


def test_a_bare_room_after_building_and_unit_is_masked() -> None:
    assert _redact("幸福小区3栋2单元501，门口") == f"幸福小区3栋{DOOR}，门口"


def test_the_dash_form_building_unit_room_is_masked() -> None:
    assert _redact("住3-2-501，楼道灯坏") == f"住{DOOR}，楼道灯坏"
    assert _redact("住３－２－５０１室") == f"住{DOOR}"


def test_a_bare_room_after_a_building_is_masked() -> None:
    assert _redact("3栋501的水管") == f"3栋{DOOR}的水管"
    assert _redact("家住3栋 501，") == f"家住3栋 {DOOR}，"


def test_a_room_written_with_hao_is_masked() -> None:
    assert _redact("501号漏水") == f"{DOOR}漏水"


def test_a_room_written_with_shi_is_masked() -> None:
    assert _redact("501室漏水") == f"{DOOR}漏水"


def test_a_building_written_hao_lou_keeps_and_its_unit_and_room_are_masked() -> None:
    assert _redact("3号楼2单元501") == f"3号楼{DOOR}"


def test_a_building_written_zhuang_keeps_and_its_unit_and_room_are_masked() -> None:
    assert _redact("3幢1单元202室") == f"3幢{DOOR}"


def test_a_room_written_hao_fang_is_masked() -> None:
    assert _redact("501号房") == DOOR and _redact("3号房漏水") == f"{DOOR}漏水"


def test_a_room_written_fang_after_a_building_is_masked() -> None:
    assert _redact("5栋1203房") == f"5栋{DOOR}"


def test_a_household_written_hu_after_a_place_is_a_door() -> None:
    assert _redact("长宇社区12户反映") == f"长宇社区{DOOR}反映"
    assert _redact("3栋2单元12户") == f"3栋{DOOR}"


def test_a_unit_alone_is_masked_in_digits_or_chinese_numerals() -> None:
    assert _redact("3栋2单元门口") == f"3栋{DOOR}门口"
    assert _redact("三栋二单元501室") == f"三栋{DOOR}"


def test_door_numbers_in_full_width_digits_are_masked() -> None:
    assert _redact("住５栋１单元１２０３室") == f"住５栋{DOOR}"


def test_the_back_office_masking_leaves_doors_to_the_roles_that_visit_them() -> None:
    assert _mask("3栋2单元501室，电话13812345678") == f"3栋2单元501室，电话{PHONE}"


# What is not a door, not a phone: ordinary numbers pass both functions unchanged.


def test_a_street_number_stays_visible() -> None:
    assert _redact("黄石大道123号幸福小区3栋501") == f"黄石大道123号幸福小区3栋{DOOR}"


@pytest.mark.parametrize(
    "count", ["小区共有120户居民", "共80户", "惠及3200户", "12户和30户", "走访了12户", "惠及1,200户", "帮扶困难户12户"]
)
def test_a_count_of_households_is_not_a_door(count: str) -> None:
    assert _redact(count) == count


def test_a_flats_layout_is_not_a_door() -> None:
    assert _redact("3室2厅，120平方米") == "3室2厅，120平方米"


def test_a_day_written_with_hao_is_not_a_door() -> None:
    assert _redact("6月30号前完成") == "6月30号前完成"


@pytest.mark.parametrize(
    "text", ["3栋15层", "3栋120米", "1号楼", "2号线", "第123号文件", "〔2022〕123号", "人民路1号院"]
)
def test_floors_lengths_lines_and_documents_are_not_doors(text: str) -> None:
    assert _redact(text) == text


@pytest.mark.parametrize(
    "text",
    ["2022.6", "2022.12", "2022-06-30", "2022/6/30", "2022.06.30", "2022年6月", "2022年6月30日", "20万元", "1,500元",
     "3.5亿", "1.5万元", "80个", "95.5%", "增长13.5%", "14:30", "2022-06-30 14:30", "MQ-2026-0001", "MQ-2026-000123",
     "K7F3M9Q2", "投资1200万元", "拨打12345热线", "2022年", "完成时限2022.6，2022.9", "2022.6\n2022.9\n2022.12\n2023.3",
     "共12个社区、3200户、8600人", "于2022年6月30日14:30完成，投资3.5亿元，惠及1,200户", "第2期", "10月15日"],
)  # fmt: skip
def test_dates_amounts_counts_percentages_times_and_codes_pass_unchanged(text: str) -> None:
    assert _redact(text) == text
    assert _mask(text) == text


def test_the_log_filters_labels_are_used_for_each_kind() -> None:
    text = "电话13812345678，身份证110105198807071236，卡号6222021234567890"
    out = mask_numbers(text, phone_label="[p]", id_label="[i]", card_label="[c]")
    assert out == "电话[p]，身份证[i]，卡号[c]"
