{#- Free text with e-mail addresses and phone numbers replaced by placeholders, in
    regular expressions RE2 (DuckDB) and Postgres share (no look-around: the character
    before and after a phone number is captured and put back).
    E-mails: internationalised addresses (jörg@bücher.de), full-width at sign and dot, and the
    "name (at) example (dot) com" and "[at]" forms. CJK characters and full-width
    punctuation (U+3000..U+9FFF; U+FF01..U+FF0F, U+FF1A..U+FF20, U+FF3B..U+FF40,
    U+FF5B..U+FF65) end an address: Japanese text runs into an address with no space
    before it. Full-width letters and digits belong to it.
    Phones: with a country code or an area code in brackets any grouping; without, groups
    that share one separator (040 123 4567, 040-123-45-67), a trunk prefix and a number
    (040-1234567), or seven to fifteen digits in a row; spaces, dots, dashes, no-break and
    full-width spaces, and full-width digits. A number right after a letter or digit is
    not a phone: order numbers such as O0004218 stay; dates (2025-03-04) fit no form.
    ingestion/personal.py masks quarantined records with the same rules.
    Spark's regular expressions are Java's: the same patterns spelled with \s and ASCII
    ranges for the POSIX classes, brackets escaped inside a class, $1 for a group.
    Text under six characters is passed through untouched: the shortest email (a@b.cd)
    has six and the shortest phone number seven digits, so no match is lost, and the
    millions of scale answers ('7', '10') skip both regular expressions. -#}
{% macro mask_pii(text_expression) -%}
    {{ return(adapter.dispatch('mask_pii')(text_expression)) }}
{%- endmacro %}

{% macro default__mask_pii(text_expression) -%}
    case
        when length({{ text_expression }}) < 6 then {{ text_expression }}
        else regexp_replace(
            regexp_replace(
                {{ text_expression }},
                '[^[:space:]　-鿿！-／：-＠［-｀｛-･@＠<>(),;:"'']+(?:@|＠|[[:space:]]*(?:\(|\[)[[:space:]]*[aA][tT][[:space:]]*(?:\)|\])[[:space:]]*)(?:[^][:space:]　-鿿！-／：-＠［-｀｛-･@＠<>(),;:"''.．[]+(?:\.|．|[[:space:]]*(?:\(|\[)[[:space:]]*[dD][oO][tT][[:space:]]*(?:\)|\])[[:space:]]*))+[^][:space:]　-鿿！-／：-＠［-｀｛-･@＠<>(),;:"''.．[0-9]{2,}',
                '[email]',
                'g'
            ),
            '(^|[^[:alnum:]+＋_])(?:[+＋][0-9０-９]{1,3}[ . 　-]?(?:\(?[0-9０-９]{1,4}\)?[ . 　-]?){1,4}[0-9０-９]{2,4}|\([0-9０-９]{2,4}\)[ . 　-]?(?:[0-9０-９]{2,4}[ . 　-]){1,3}[0-9０-９]{2,4}|[0-9０-９]{3,4} [0-9０-９]{2,4} [0-9０-９]{3,4}|[0-9０-９]{2,4}(?: [0-9０-９]{2,4}){3,4}|[0-9０-９]{3,4}\.[0-9０-９]{2,4}\.[0-9０-９]{3,4}|[0-9０-９]{2,4}(?:\.[0-9０-９]{2,4}){3,4}|[0-9０-９]{3,4}-[0-9０-９]{2,4}-[0-9０-９]{3,4}|[0-9０-９]{2,4}(?:-[0-9０-９]{2,4}){3,4}|[0-9０-９]{3,4} [0-9０-９]{2,4} [0-9０-９]{3,4}|[0-9０-９]{2,4}(?: [0-9０-９]{2,4}){3,4}|[0-9０-９]{3,4}　[0-9０-９]{2,4}　[0-9０-９]{3,4}|[0-9０-９]{2,4}(?:　[0-9０-９]{2,4}){3,4}|[0０][0-9０-９]{1,4}[ . 　-][0-9０-９]{5,10}|[0-9０-９]{7,15})([^0-9０-９]|$)',
            '\1[phone]\2',
            'g'
        )
    end
{%- endmacro %}

{% macro spark__mask_pii(text_expression) -%}
    {%- set email_pattern -%}
[^\s　-鿿！-／：-＠［-｀｛-･@＠<>(),;:"']+(?:@|＠|\s*(?:\(|\[)\s*[aA][tT]\s*(?:\)|\])\s*)(?:[^\]\s　-鿿！-／：-＠［-｀｛-･@＠<>(),;:"'.．\[]+(?:\.|．|\s*(?:\(|\[)\s*[dD][oO][tT]\s*(?:\)|\])\s*))+[^\]\s　-鿿！-／：-＠［-｀｛-･@＠<>(),;:"'.．\[0-9]{2,}
    {%- endset -%}
    {%- set phone_pattern -%}
(^|[^0-9A-Za-z+＋_])(?:[+＋][0-9０-９]{1,3}[ . 　-]?(?:\(?[0-9０-９]{1,4}\)?[ . 　-]?){1,4}[0-9０-９]{2,4}|\([0-9０-９]{2,4}\)[ . 　-]?(?:[0-9０-９]{2,4}[ . 　-]){1,3}[0-9０-９]{2,4}|[0-9０-９]{3,4} [0-9０-９]{2,4} [0-9０-９]{3,4}|[0-9０-９]{2,4}(?: [0-9０-９]{2,4}){3,4}|[0-9０-９]{3,4}\.[0-9０-９]{2,4}\.[0-9０-９]{3,4}|[0-9０-９]{2,4}(?:\.[0-9０-９]{2,4}){3,4}|[0-9０-９]{3,4}-[0-9０-９]{2,4}-[0-9０-９]{3,4}|[0-9０-９]{2,4}(?:-[0-9０-９]{2,4}){3,4}|[0-9０-９]{3,4} [0-9０-９]{2,4} [0-9０-９]{3,4}|[0-9０-９]{2,4}(?: [0-9０-９]{2,4}){3,4}|[0-9０-９]{3,4}　[0-9０-９]{2,4}　[0-9０-９]{3,4}|[0-9０-９]{2,4}(?:　[0-9０-９]{2,4}){3,4}|[0０][0-9０-９]{1,4}[ . 　-][0-9０-９]{5,10}|[0-9０-９]{7,15})([^0-9０-９]|$)
    {%- endset -%}
    case
        when length({{ text_expression }}) < 6 then {{ text_expression }}
        else regexp_replace(
            regexp_replace(
                {{ text_expression }},
                {{ spark_string_literal(email_pattern | trim) }},
                '[email]'
            ),
            {{ spark_string_literal(phone_pattern | trim) }},
            {{ spark_string_literal('$1[phone]$2') }}
        )
    end
{%- endmacro %}

{#- True when the text matches the regular expression anywhere. -#}
{% macro regex_contains(text_expression, pattern) -%}
    {{ return(adapter.dispatch('regex_contains')(text_expression, pattern)) }}
{%- endmacro %}

{% macro default__regex_contains(text_expression, pattern) -%}
    ({{ text_expression }} ~ '{{ pattern }}')
{%- endmacro %}

{% macro duckdb__regex_contains(text_expression, pattern) -%}
    regexp_matches({{ text_expression }}, '{{ pattern }}')
{%- endmacro %}

{% macro spark__regex_contains(text_expression, pattern) -%}
    ({{ text_expression }} rlike {{ spark_string_literal(pattern) }})
{%- endmacro %}
