import pytest

from gongzhi.core.identifiers import (
    InvalidIdentifier,
    credit_code_check_character,
    id_number_check_character,
    validate_credit_code,
    validate_id_number,
)


class TestIdNumber:
    # The worked example of GB 11643-1999 itself.
    STANDARD_EXAMPLE = "11010519491231002X"

    def test_standard_example_is_valid(self):
        assert validate_id_number(self.STANDARD_EXAMPLE) == self.STANDARD_EXAMPLE

    def test_lower_case_x_and_blanks_are_normalised(self):
        assert validate_id_number(" 110105 19491231 002x ") == self.STANDARD_EXAMPLE

    def test_check_character_is_computed(self):
        assert id_number_check_character("11010519491231002") == "X"
        # 3·7+1·9+0+1·5+0+5·4+1·2+9·1+8·6+0+0+1·9+0+1·5+0+0+1·2 = 130; 130 mod 11 = 9 -> "3"
        assert id_number_check_character("31010519800101001") == "3"

    @pytest.mark.parametrize("last", list("0123456789"))
    def test_every_wrong_check_character_is_refused(self, last):
        with pytest.raises(InvalidIdentifier, match="check digit"):
            validate_id_number("11010519491231002" + last)

    def test_impossible_birth_date_is_refused(self):
        first17 = "11010519490231002"  # 31 February
        with pytest.raises(InvalidIdentifier, match="birth date"):
            validate_id_number(first17 + id_number_check_character(first17))

    @pytest.mark.parametrize(
        "value", ["", "1101051949123100", "11010519491231002XX", "A1010519491231002X"]
    )
    def test_malformed_is_refused(self, value):
        with pytest.raises(InvalidIdentifier):
            validate_id_number(value)


class TestCreditCode:
    # A code published as the example of GB 32100-2015's check character.
    EXAMPLE = "91350100M000100Y43"

    def test_example_is_valid(self):
        assert validate_credit_code(self.EXAMPLE) == self.EXAMPLE

    def test_check_character_is_computed(self):
        assert credit_code_check_character(self.EXAMPLE[:17]) == "3"

    def test_wrong_check_character_is_refused(self):
        with pytest.raises(InvalidIdentifier, match="check character"):
            validate_credit_code(self.EXAMPLE[:17] + "4")

    @pytest.mark.parametrize("letter", ["I", "O", "Z", "S", "V"])
    def test_letters_outside_the_alphabet_are_refused(self, letter):
        with pytest.raises(InvalidIdentifier, match="not allowed"):
            validate_credit_code("9135010" + letter + "M000100Y43")

    def test_wrong_length_is_refused(self):
        with pytest.raises(InvalidIdentifier, match="18 characters"):
            validate_credit_code("91350100M000100Y4")

    def test_check_value_zero_maps_to_zero(self):
        # 31 - (sum mod 31) == 31 must give "0", not index 31.
        for n in range(2000):
            first17 = f"9131010500000{n:04d}"
            check = credit_code_check_character(first17)
            assert check in "0123456789ABCDEFGHJKLMNPQRTUWXY"
            validate_credit_code(first17 + check)
