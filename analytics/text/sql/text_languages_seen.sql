select distinct language
from analytics.text_languages
order by language
