// ui.hpp — what every screen draws with: the layout (sizes derived from the
// window and the glass's physical size), fonts, colours, and the list of
// touchable elements a frame drew (for scripted taps and tests). A screen is
// `Intent draw_x(const View&)`: it reads state, calls ImGui, returns what the
// person did. No screen holds business data.
#pragma once

#include "terminal/admin_info.hpp"
#include "terminal/flow.hpp"
#include "terminal/news.hpp"
#include "common/question_bank.hpp"
#include "terminal/texts.hpp"
#include "common/texts_file.hpp"  // fill_placeholders

#include <string>
#include <vector>

struct ImFont;
struct ImDrawList;

namespace pulse {

// An RGBA colour, 0xRRGGBBAA.
using Rgba = unsigned int;

struct Palette {
    Rgba background = 0xF6F4EFFF;  // warm light background
    Rgba text = 0x1E2430FF;        // near-black
    Rgba muted = 0x5B6270FF;       // secondary text
    Rgba card = 0xFFFFFFFF;        // answer buttons
    Rgba outline = 0x5B6270FF;     // secondary buttons' border
    Rgba accent = 0x2F6FA8FF;      // from config: the start button, checks
    Rgba on_accent = 0xFFFFFFFF;   // text on accent
    Rgba scale[5] = {0xC8553DFF, 0xEBA47CFF, 0xD9D9D9FF, 0x8CB7D8FF, 0x2F6FA8FF};  // 1..5
    Rgba fault = 0xB3261EFF;       // out of order
    Rgba calm = 0xE6E2D8FF;        // the start button while cooling down
    Rgba night = 0x0B0D12FF;       // closed: near-black, little light in a dark room
    Rgba night_text = 0x9AA0AAFF;  // closed: the message, dim grey (about 7:1 on night)
};

// Type on the glass (docs/screens.md). Sizes are the height of a capital
// ('H', measured from the font) in millimetres on the panel, so a 15.6″ and
// a 23.8″ screen show the same letters to the same reader.
//
// Every text an employee reads: at least 7.3 mm, EN 301 549 §5.1.4's 0.7° at
// 0.6 m (the distance of a hand on the glass).
constexpr float kMinCap_mm = 7.3f;
// The statement and the headlines, read in passing from 1.5 m: 9.6 mm, 22′ of
// arc there (ISO 9241-303 asks 16′ at least and 20–22′ for reading; 0.7° at
// 1.5 m would be 18.3 mm, which fits the longest statement on no panel we
// support). A text that would need more lines than its screen gives it is
// drawn smaller, never below kMinCap_mm (16.7′ at 1.5 m).
constexpr float kStatementCap_mm = 9.6f;
constexpr float kHeadlineCap_mm = 11.0f;  // attract headline, start button, "Tak!"
// The admin panel's list of facts: for IT, read at arm's length, and long
// (paths, URLs, hours); not an employee screen.
constexpr float kAdminCap_mm = 4.0f;

// The answer faces' diameter on the glass, the same on every panel: 18 mm
// on the landscape row's tiles (at 0.6 m a face subtends 1.7°, its mouth,
// 0.45 of it wide, 0.8°: about the size of a capital), 16 mm on a portrait
// column's bars, where five bars and the statement share a narrow window
// (docs/screens.md). The answer block is sized from these and from the
// words' lines at kMinCap_mm, not as a share of the window.
constexpr float kAnswerFace_mm = 18.0f;
constexpr float kAnswerFaceBar_mm = 16.0f;

struct Fonts {
    ImFont* headline = nullptr;   // kHeadlineCap_mm
    ImFont* statement = nullptr;  // kStatementCap_mm
    ImFont* button = nullptr;     // kMinCap_mm (button labels)
    ImFont* title = nullptr;      // kMinCap_mm (theme title, progress): the button font
    ImFont* fine = nullptr;       // kMinCap_mm (anonymity line, codes): the button font
    ImFont* admin = nullptr;      // kAdminCap_mm (the admin screens' facts and messages only)
};

// Where a wheelchair user and a tall person can both touch: 0.4 to 1.22 m
// above the floor (docs/screens.md).
constexpr float kReachLow_m = 0.4f;
constexpr float kReachHigh_m = 1.22f;
constexpr double kDefaultBottomEdge_m = 0.9;  // [display] bottom_edge_m's default

// Sizes for one window. All in pixels; `mm` converts physical millimetres.
struct Layout {
    float width = 1920, height = 1080;
    float scale = 1;        // spacing scale: min(width, height) / 1080
    float px_per_mm = 4;    // from the configured screen size
    bool portrait = false;  // height > width
    float margin = 48;      // outer margin
    float bottom_edge_m = 0.9f;  // the glass's lower edge above the floor ([display] bottom_edge_m)
    // The rows within reach (kReachLow_m..kReachHigh_m above the floor),
    // clamped to the window (reach_bottom at least half a margin above its
    // lower edge): every touchable element lies between them.
    float reach_top = 0;
    float reach_bottom = 1080;

    float mm(float millimetres) const { return millimetres * px_per_mm; }
    float min_target() const { return mm(20); }  // smallest touch target side
    float min_gap() const { return mm(4); }      // smallest gap between targets
    // Height above the floor, in metres, of window row y.
    float height_m(float y) const { return bottom_edge_m + (height - y) / px_per_mm / 1000.0f; }
    // Window row at h_m above the floor (may lie outside the window).
    float row_at_m(float h_m) const { return height - (h_m - bottom_edge_m) * 1000.0f * px_per_mm; }
};

// The layout of a width × height window (the turned size on a turned panel)
// on glass of px_per_mm whose lower edge is bottom_edge_m above the floor.
Layout make_layout(float width, float height, double px_per_mm, double bottom_edge_m = kDefaultBottomEdge_m);

// One touchable element drawn this frame, in window pixels.
struct Hit {
    std::string id;  // "start", "answer-3", "lang-en", ...
    float x0, y0, x1, y1;
    Rgba fill;       // the colour its background was drawn in (for tests)
};

struct View {
    const Flow& flow;
    const QuestionBank& bank;
    const Texts& texts;
    const Layout& layout;
    const Fonts& fonts;
    const Palette& palette;
    std::vector<Hit>* hits;  // every screen appends the elements it drew
    // The admin screens (admin.hpp): drawn instead of the flow's screen
    // while admin->mode is not off. Null: no admin access (no [admin]
    // pin_hash, or the out-of-order command), and no corner zone.
    const AdminState* admin = nullptr;
    const AdminInfo* admin_info = nullptr;  // the panel's facts (may be null until gathered)
    UnixSeconds wall_now = 0;               // the PIN pad's lockout countdown
    Millis now_ms = 0;                      // the flow's clock: the idle warning's shrinking bar
    const News* news = nullptr;             // the manager's response for the attract screen (none: null)

    const std::string& text(const char* key) const { return texts.get(flow.language, key); }
};

// Draws the screen for view.flow and returns what the person did this frame.
Intent draw_screen(const View& view);

// The screens (one file each).
Intent draw_attract(const View& view);   // the first statement, or the start button
Intent draw_cooldown(const View& view);  // "ready again in a moment", in both languages
Intent draw_about(const View& view);     // "about anonymity"
Intent draw_question(const View& view);
Intent draw_thanks(const View& view);    // also "saving"
Intent draw_out_of_order(const View& view);
Intent draw_closed(const View& view);    // outside opening hours
Intent draw_admin_pin(const View& view);  // the admin PIN pad
Intent draw_admin(const View& view);      // the admin panel
Intent draw_touch_test(const View& view); // the admin panel's touch test

// The admin gesture's zone: an invisible 20 mm square in the top-left
// corner ("admin-corner"), on the screens where no session runs. Call it
// before the screen's other buttons, so that it gets the tap first. Returns
// an admin corner intent when tapped, else none (also without view.admin).
Intent admin_corner(const View& view);

}  // namespace pulse
