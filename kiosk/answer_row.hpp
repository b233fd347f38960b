// answer_row.hpp — the answer block the attract screen (start = "question")
// and the question screen share: the five answer buttons (a row of tiles in
// landscape, a column of full-width bars in portrait), the check mark on the
// one just chosen, and below them the row of secondary buttons ("‹ Tilbage",
// "Ved ikke", "Spring over", "Om anonymitet", Dansk | English), wrapped onto
// more rows when the window is too narrow. All sizes come from the Layout
// (millimetres on the glass) and the fonts; everything it draws is a Hit.
#pragma once

#include "kiosk/ui.hpp"

#include <imgui.h>

#include <string>
#include <vector>

namespace pulse {

// The size, in pixels, to draw the statement at (text_block_sized with
// wrap_width and the default line spacing) so that it is at most space
// tall: the statement font's own (kStatementCap_mm) where it fits in at
// most 3 lines; else the largest size, in steps of 4 %, that fits space in
// at most 3 lines, or failing that in more; never below the legibility
// floor (kMinCap_mm), which is returned where even that does not fit
// (the statement is then taller than space: never cut).
float statement_size(const View& v, const std::string& statement, float wrap_width, float space);

// The height of the statement drawn at size within wrap_width.
float statement_height(const View& v, const std::string& statement, float wrap_width, float size);

// Height of the five answer buttons' block for v's layout, language and
// fonts, in pixels: measured in millimetres, not as a share of the window
// (docs/screens.md). Landscape: one row of tiles, each a kAnswerFace_mm face
// above the words, as tall as the face plus the lines the longest word needs
// at the button font (kMinCap_mm). Portrait: a column of five bars, each a
// kAnswerFaceBar_mm face beside the words, as tall as the face or the words'
// lines, whichever is more, with the gaps between bars. Cannot fail.
float answer_buttons_height(const View& v);

// Draws the five answer buttons (ids answer-1 .. answer-5: a face, the
// scale's colour as a band inside a 3:1 outline, and a word) from top,
// answer_buttons_height(v) tall: landscape in a row across the window
// between the margins, 1 ("Helt uenig") at the left; portrait in a column
// of full-width bars, 1 at the top and 5 ("Helt enig") at the bottom (the
// row's reading order, see docs/screens.md). The one the flow shows as
// chosen (Flow::chosen 1..5) carries the check mark. Returns an answer
// intent when one is tapped, else none.
Intent answer_buttons(const View& v, float top);

// The secondary buttons, left to right, each with its id.
enum class Secondary { back, dont_know, skip, about, close, languages };

// Height the secondary rows take for these buttons at the window's width
// (one row, or two when they do not fit side by side).
float secondary_rows_height(const View& v, const std::vector<Secondary>& buttons);

// Draws the secondary buttons in rows from top, each row centred: back
// ("back"), don't know ("dont-know", with the check mark when Flow::chosen
// is 0), skip ("skip"), about ("about"), close ("about-close"), and the languages ("lang-da",
// "lang-en", the shown one filled). Returns the intent of the one tapped.
Intent secondary_rows(const View& v, const std::vector<Secondary>& buttons, float top);

}  // namespace pulse
