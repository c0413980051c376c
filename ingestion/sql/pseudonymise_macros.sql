-- Keyed hashes for personal data. The key is passed by the caller as an argument (a bound
-- parameter), never stored in the warehouse. Values are normalised first so that the same
-- email or phone number gives the same key in every source.
create or replace temp macro pseudonymise_email(pseudonym_key, value) as
    case
        when nullif(trim(value), '') is null then null
        else sha256(concat(pseudonym_key, '|email|', lower(trim(value))))
    end;

create or replace temp macro pseudonymise_phone(pseudonym_key, value) as
    case
        when nullif(regexp_replace(value, '[^0-9]', '', 'g'), '') is null then null
        else sha256(concat(
            pseudonym_key, '|phone|',
            regexp_replace(trim(value), '[^0-9+]', '', 'g')
        ))
    end;

create or replace temp macro pseudonymise_name(pseudonym_key, value) as
    case
        when nullif(trim(value), '') is null then null
        else sha256(concat(
            pseudonym_key, '|name|', lower(regexp_replace(trim(value), '\s+', ' ', 'g'))
        ))
    end;
