// widgets.hpp — the few drawing pieces the screens share: touch buttons that
// register their hit rectangle, wrapped text, the answer faces and the check
// mark (the answer buttons, the secondary rows and the language buttons are
// in answer_row.hpp). All sizes come from the Layout.
#pragma once

#include "kiosk/ui.hpp"

#include <imgui.h>

namespace pulse {

// 0xRRGGBBAA -> ImGui's packed colour.
ImU32 im_colour(Rgba c);
// c with its alpha multiplied by a (0..1).
Rgba with_alpha(Rgba c, float a);
// a mixed toward b by amount (0 = a, 1 = b), opaque.
Rgba mix(Rgba a, Rgba b, float amount);
// c mixed toward black by amount (0..1), for the pressed look.
Rgba darker(Rgba c, float amount);

// WCAG 2 relative luminance (0 = black .. 1 = white) and contrast ratio (1..21).
float relative_luminance(Rgba c);
float contrast_ratio(Rgba a, Rgba b);
// Of dark and light, the one with more contrast against background.
Rgba readable_on(Rgba background, Rgba dark, Rgba light);

struct ButtonLook {
    Rgba fill = 0xFFFFFFFF;
    Rgba border = 0;          // 0 = no border
    float border_px = 0;
    Rgba text = 0x1E2430FF;
    ImFont* font = nullptr;   // label font; nullptr = no label
    const char* label = nullptr;
    float label_y = 0.5f;     // label centre as a fraction of the button height
};

// A touch button with id (also its ImGui id and its Hit id) over [min, max].
// Draws it (darker while pressed), appends a Hit, returns true on the frame
// the press is released over it.
bool touch_button(const View& view, const char* id, ImVec2 min, ImVec2 max, const ButtonLook& look);

// The size below which text_block never shrinks text: the size of the
// kMinCap_mm font, set by Gui::create (one ImGui context per process, so one
// floor). 0 until set: no shrinking at all.
void set_legibility_floor_px(float px);
// That floor, in pixels (0 until set).
float legibility_floor_px();

// The size text_block draws text at: the font's own size, or smaller where
// the text would need more than max_lines at wrap_width, but never below the
// legibility floor (nor ever larger than the font).
float fitted_size(ImFont* font, const std::string& text, float wrap_width, int max_lines);

// Draws text wrapped to wrap_width, each line centred on centre_x, starting at
// top, at fitted_size: in max_lines where the legibility floor allows it.
// A text is never cut: if it needs more lines even at the floor, all are
// drawn (text_block_height says so, for the layout). Returns the height used.
float text_block(ImDrawList* list, ImFont* font, const std::string& text, float centre_x, float top,
                 float wrap_width, Rgba colour, int max_lines = 3);

// text_block at an explicit size (font scaled to it) and line spacing (line
// height over size), without fitting; max_lines is ignored (never cut).
float text_block_sized(ImDrawList* list, ImFont* font, float size, const std::string& text, float centre_x, float top,
                       float wrap_width, Rgba colour, int max_lines, float line_spacing = 1.15f);

// text's lines at size and wrap_width, at most max_lines: when it needs more,
// the last line ends with "…" where the words that still fit end. Never a
// line wider than wrap_width (but for a single glyph wider than it).
std::vector<std::string> lines_cut(ImFont* font, float size, const std::string& text, float wrap_width,
                                   int max_lines);

// text_block_sized with every line starting at left instead of centred.
// Returns the height used.
float text_block_left(ImDrawList* list, ImFont* font, float size, const std::string& text, float left, float top,
                      float wrap_width, Rgba colour, float line_spacing = 1.15f);

// Lines text wraps into at size within wrap_width (a word wider than the
// line is broken).
int line_count(ImFont* font, float size, const std::string& text, float wrap_width);

// The width of the widest word of text at size.
float widest_word(ImFont* font, float size, const std::string& text);

// Height text_block would use.
float text_block_height(ImFont* font, const std::string& text, float wrap_width, int max_lines = 3);

// A face for answer value 1..5: same circle and eyes for all, the mouth goes
// from frown (1) through straight (3) to smile (5). The circle is outlined in
// outline; eyes and mouth are drawn in whichever of outline and light reads
// best on fill.
void draw_face(ImDrawList* list, ImVec2 centre, float radius, int value, Rgba fill, Rgba outline, Rgba light);

// A check mark in a filled circle.
void draw_check(ImDrawList* list, ImVec2 centre, float radius, Rgba fill, Rgba ink);

// An admin intent (admin.hpp) for action with value.
Intent admin_intent(AdminAction action, int value = 0);

// The admin screens' "Close" button ("admin-close"), top right, or as high
// as reach allows (Layout::reach_top). Returns the height it takes from the
// top margin (for the layout below it); sets *intent to an admin close
// intent when tapped.
float admin_close_button(const View& view, Intent* intent);
// The Close button's own height.
float admin_close_height(const View& view);

// The full-window ImGui canvas every screen draws into.
ImDrawList* begin_canvas(const View& view);
void end_canvas();

}  // namespace pulse
