"""Kept for importers of the old module: plain.py was split into render.layout (widths,
encoding, what a table shows, gists) and render.wording (what every format says alike).
New code imports those two."""

from __future__ import annotations

from rolecompare.render.format import NOT_REPORTED as NOT_REPORTED
from rolecompare.render.layout import ALWAYS_FULL as ALWAYS_FULL
from rolecompare.render.layout import GIST as GIST
from rolecompare.render.layout import LEAD_HEADER as LEAD_HEADER
from rolecompare.render.layout import MAX_WIDTH as MAX_WIDTH
from rolecompare.render.layout import MIN_WIDTH as MIN_WIDTH
from rolecompare.render.layout import PIPE_WIDTH as PIPE_WIDTH
from rolecompare.render.layout import PP_LEGEND as PP_LEGEND
from rolecompare.render.layout import first_sentence as first_sentence
from rolecompare.render.layout import gist as gist
from rolecompare.render.layout import is_utf as is_utf
from rolecompare.render.layout import labels as labels
from rolecompare.render.layout import out_width as out_width
from rolecompare.render.layout import short_meaning as short_meaning
from rolecompare.render.layout import shown_sections as shown_sections
from rolecompare.render.layout import terminal_width as terminal_width
from rolecompare.render.layout import titled_by_section as titled_by_section
from rolecompare.render.layout import to_ascii as to_ascii
from rolecompare.render.layout import tolerate_encoding as tolerate_encoding
from rolecompare.render.layout import uses_pp as uses_pp
from rolecompare.render.wording import empty_text as empty_text
from rolecompare.render.wording import figure_text as figure_text
from rolecompare.render.wording import flat as flat
from rolecompare.render.wording import headline as headline
from rolecompare.render.wording import headlines as headlines
from rolecompare.render.wording import made_safe as made_safe
from rolecompare.render.wording import note_lines as note_lines
from rolecompare.render.wording import posting_line as posting_line
from rolecompare.render.wording import qualifiers as qualifiers
from rolecompare.render.wording import salary_headlines as salary_headlines
from rolecompare.render.wording import shared_text as shared_text
from rolecompare.render.wording import shows_headlines as shows_headlines
from rolecompare.render.wording import sources_line as sources_line
from rolecompare.render.wording import statements_of as statements_of
from rolecompare.render.wording import use_of as use_of
