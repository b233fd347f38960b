// test_screens.cpp — every screen in Danish and English, landscape 1920×1080
// and 1280×800 and portrait 1080×1920, rendered by the real UI headless; and
// a 1920×1080 panel mounted portrait ([display] rotation = 90 and 270). The
// PNGs are written to <build>/screenshots/ (look at them); the tests check
// what a person would: each button is drawn where it can be tapped, in its
// colour, large enough on the glass, within reach of the floor for the
// configured mounting, every answer's face at least 15 mm across, every
// letter large enough on the glass and inside the screen (the answer words
// of a portrait column too), the two languages differ, and on a turned panel
// the picture is the portrait one turned and a tap where a button shows
// presses it.
#include "sim_env.hpp"
#include "kiosk/screen_turn.hpp"
#include "kiosk/simulator.hpp"
#include "kiosk/widgets.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace kiosk_test_screens {

using namespace pulse;
using namespace pulse::test;

// The legibility checks read every letter drawn: recorded for this test
// program (the kiosk itself never records them).
const bool kGlyphsRecorded = (record_drawn_glyphs(true), true);

namespace {

const std::filesystem::path kShots = std::filesystem::path(PULSE_BINARY_DIR) / "screenshots";

// Answers are accepted but never confirmed: the flow stays on "saving".
class NeverDurableWriter final : public AnswerWriter {
public:
    void submit(Answer) override { ++queued_; }
    void remove(std::vector<std::string>) override {}
    std::vector<WriteEvent> poll() override { return {}; }
    int queued() const override { return queued_; }

private:
    int queued_ = 0;
};

// The disk is full: every poll reports the failure.
class FullDiskWriter final : public AnswerWriter {
public:
    void submit(Answer) override {}
    void remove(std::vector<std::string>) override {}
    std::vector<WriteEvent> poll() override {
        return {WriteEvent{WriteEvent::Kind::failed, 0, 13, "database or disk is full"}};
    }
    int queued() const override { return 0; }
};

// One frame as the panel shows it; hits, width, height and at() in the
// layout's coordinates (the turned size on a turned panel).
struct Frame {
    std::vector<std::uint8_t> rgb;  // panel pixels
    std::vector<Hit> hits;
    int width = 0, height = 0;      // the layout's size
    ScreenTurn turn;
    float smallest_face_mm = 0;     // the smallest answer face's diameter on the glass (0: no answers)
    Rgba at(float x, float y) const {
        const ScreenPixel p = turn.to_panel_pixel(ScreenPixel{static_cast<int>(x), static_cast<int>(y)});
        const std::size_t i =
            (static_cast<std::size_t>(p.y) * static_cast<std::size_t>(turn.panel_width()) + static_cast<std::size_t>(p.x)) * 3;
        return (Rgba(rgb[i]) << 24) | (Rgba(rgb[i + 1]) << 16) | (Rgba(rgb[i + 2]) << 8) | 0xFF;
    }
};

bool close_colour(Rgba a, Rgba b) {
    for (int shift : {24, 16, 8}) {
        if (std::abs(static_cast<int>((a >> shift) & 0xFF) - static_cast<int>((b >> shift) & 0xFF)) > 3) return false;
    }
    return true;
}

std::string hex(Rgba c) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "#%06X", c >> 8);
    return buf;
}

// The glass: pixels per millimetre of a w × h layout (the panel's own, turned
// or not: the same glass) for cfg's diagonal.
float px_per_mm_of(const LoadedConfig& cfg, int w, int h) {
    return static_cast<float>(std::sqrt(double(w) * w + double(h) * h) / cfg.config.diagonal_inch / 25.4);
}


// Checks every touchable element of f against the reach of cfg's mounting:
// its top at most 1.22 m and its bottom at least 0.4 m above the floor,
// from the glass's physical height (diagonal and the turned layout) and
// [display] bottom_edge_m.
void check_reach(const Frame& f, const LoadedConfig& cfg, const std::string& file) {
    const float px_per_mm = px_per_mm_of(cfg, f.width, f.height);
    const auto metres_above_floor = [&](float y) {
        return static_cast<float>(cfg.config.bottom_edge_m) + (static_cast<float>(f.height) - y) / px_per_mm / 1000.0f;
    };
    for (const Hit& hit : f.hits) {
        // The admin gesture's corner is for IT and deliberately out of the
        // way at the top left: not an employee's control.
        if (hit.id == "admin-corner") continue;
        INFO(file << ": element " << hit.id << " at " << metres_above_floor(hit.y1) << ".." << metres_above_floor(hit.y0)
                  << " m above the floor");
        CHECK(metres_above_floor(hit.y0) <= 1.22f + 0.001f);
        CHECK(metres_above_floor(hit.y1) >= 0.40f - 0.001f);
    }
}

// The letters of text (spaces and line breaks left out), as code points.
std::u32string letters_of(const std::string& text) {
    std::u32string out;
    for (std::size_t i = 0; i < text.size();) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        const int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        char32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
        for (int k = 1; k < n && i + static_cast<std::size_t>(k) < text.size(); ++k)
            cp = (cp << 6) | (static_cast<unsigned char>(text[i + static_cast<std::size_t>(k)]) & 0x3F);
        i += static_cast<std::size_t>(n);
        if (cp != U' ' && cp != U'\n') out += cp;
    }
    return out;
}

// The letters drawn in the last frame, in drawing order (role "" = all).
std::u32string drawn_letters(const std::string& role = "") {
    std::u32string out;
    for (const DrawnGlyph& g : drawn_glyphs())
        if (role.empty() || role == g.role) out += static_cast<char32_t>(g.codepoint);
    return out;
}

// Where two rectangles overlap.
bool overlaps(float ax0, float ay0, float ax1, float ay1, const Hit& b) {
    return ax0 < b.x1 && b.x0 < ax1 && ay0 < b.y1 && b.y0 < ay1;
}

// Every letter of the last frame is inside the window, no word is broken,
// and its capitals are at least kMinCap_mm on cfg's glass (EN 301 549
// §5.1.4: 0.7° at 0.6 m); the statement's at least 16′ of arc at 1.5 m
// (ISO 9241-303's minimum, 7.0 mm: the floor above is more), and at
// kStatementCap_mm (22′ at 1.5 m) whenever it fits.
void check_legibility(const Frame& f, const LoadedConfig& cfg, const std::string& file) {
    const float px_per_mm = px_per_mm_of(cfg, f.width, f.height);
    const float min_16_arcmin_at_1_5_m = static_cast<float>(1500 * std::tan(16.0 / 60 * M_PI / 180));
    for (const DrawnGlyph& g : drawn_glyphs()) {
        const float cap_mm = g.cap_px / px_per_mm;
        const std::string letter(1, g.codepoint < 128 ? static_cast<char>(g.codepoint) : '?');
        INFO(file << ": '" << letter << "' (code point " << g.codepoint << ", " << g.role << ") at " << g.x0 << ","
                  << g.y0 << ": capitals " << cap_mm << " mm");
        CHECK(cap_mm >= kMinCap_mm - 0.005f);
        if (std::string(g.role) == "statement") CHECK(cap_mm >= min_16_arcmin_at_1_5_m);
        // Text that is no button's label stays off the buttons. (The DA | EN
        // switch is exempt with its move: today it can cover the progress.)
        const std::string role = g.role;
        if (role == "title" || role == "statement" || role == "fine") {
            for (const Hit& hit : f.hits) {
                CHECK_MESSAGE(!overlaps(g.x0, g.y0, g.x1, g.y1, hit), "drawn under " << hit.id);
            }
        }
        CHECK(g.x0 >= -0.5f);
        CHECK(g.y0 >= -0.5f);
        CHECK(g.x1 <= static_cast<float>(f.width) + 0.5f);
        CHECK(g.y1 <= static_cast<float>(f.height) + 0.5f);
    }
}

// The smallest faces on the answer buttons: 15 mm across on the glass
// (docs/screens.md; kAnswerFace_mm is what the kiosk draws).
constexpr float kMinFace_mm = 15.0f;

// The diameter, in layout pixels, of the face on answer button `hit`
// (value 1..5), as drawn: the row with the longest run of the scale's
// colour for value inside the button, clear of its 2.8 mm edge (outline and
// colour band), is the face's middle (the eyes lie above it, the mouth
// below); from that run outward over the face's dark outline to the white
// card on either side is its diameter. 0 if there is no face.
float face_diameter_px(const Frame& f, const Hit& hit, int value, float px_per_mm) {
    const Palette p;
    const float inset = 4 * px_per_mm;
    const int x0 = static_cast<int>(hit.x0 + inset), x1 = static_cast<int>(hit.x1 - inset);
    int longest = 0, row = 0, run_end = 0;
    for (int y = static_cast<int>(hit.y0 + inset); y < static_cast<int>(hit.y1 - inset); ++y) {
        int run = 0;
        for (int x = x0; x < x1; ++x) {
            run = close_colour(f.at(static_cast<float>(x), static_cast<float>(y)), p.scale[value - 1]) ? run + 1 : 0;
            if (run > longest) {
                longest = run;
                row = y;
                run_end = x;
            }
        }
    }
    if (longest == 0) return 0;
    const auto card = [&](int x) { return close_colour(f.at(static_cast<float>(x), static_cast<float>(row)), p.card); };
    int left = run_end - longest + 1, right = run_end;
    while (left > x0 && !card(left - 1)) --left;
    while (right < x1 - 1 && !card(right + 1)) ++right;
    return static_cast<float>(right - left + 1);
}

// Captures the current frame of a panel of w × h pixels, saves it as
// <w>x<h>[-r<rotation>]-<lang>-<name>.png, and checks every touchable
// element in the layout (the turned size on a turned panel): drawn in its
// colour where it is hit-tested, at least 20 mm on each side with 4 mm
// between elements, within reach of the floor (check_reach); every answer's
// face at least kMinFace_mm across; and every letter on it
// (check_legibility).
Frame capture_and_check(Simulator& sim, const LoadedConfig& cfg, int panel_w, int panel_h, const std::string& lang,
                        const std::string& name) {
    Frame f;
    f.turn = sim.turn();
    REQUIRE(f.turn.panel_width() == panel_w);
    REQUIRE(f.turn.panel_height() == panel_h);
    const int w = f.turn.layout_width(), h = f.turn.layout_height();
    f.width = w;
    f.height = h;
    f.rgb = sim.pixels();
    f.hits = sim.hits();
    REQUIRE(f.rgb.size() == static_cast<std::size_t>(panel_w) * static_cast<std::size_t>(panel_h) * 3);
    std::filesystem::create_directories(kShots);
    const std::string file = std::to_string(panel_w) + "x" + std::to_string(panel_h) +
                             (f.turn.turned() ? "-r" + std::to_string(f.turn.rotation()) : std::string()) + "-" +
                             lang + "-" + name + ".png";
    std::string error;
    CHECK_MESSAGE(sim.shot(kShots / file, &error), error);

    const float px_per_mm = px_per_mm_of(cfg, w, h);
    for (const Hit& hit : f.hits) {
        INFO(file << ": element " << hit.id);
        const float bw = hit.x1 - hit.x0, bh = hit.y1 - hit.y0;
        CHECK(bw >= 20 * px_per_mm - 0.5f);
        CHECK(bh >= 20 * px_per_mm - 0.5f);
        CHECK(hit.x0 >= 0);
        CHECK(hit.x1 <= w);
        CHECK(hit.y0 >= 0);
        CHECK(hit.y1 <= h);
        // The pixel inside the element, clear of its border (an answer's is
        // 2.8 mm: 3.5 mm in is clear of it even on a bar 25 mm tall), label
        // and face, is its colour.
        const Rgba seen = f.at((hit.x0 + hit.x1) * 0.5f, hit.y0 + std::max(bh * 0.07f, 3.5f * px_per_mm));
        CHECK_MESSAGE(close_colour(seen, hit.fill), "drawn " << hex(seen) << ", expected " << hex(hit.fill));
        for (const Hit& other : f.hits) {
            if (&other == &hit) continue;
            const float gap_x = std::max(other.x0 - hit.x1, hit.x0 - other.x1);
            const float gap_y = std::max(other.y0 - hit.y1, hit.y0 - other.y1);
            CHECK_MESSAGE(std::max(gap_x, gap_y) >= 4 * px_per_mm - 0.5f, "too close to " << other.id);
        }
    }
    for (int value = 1; value <= 5; ++value) {
        const auto it = std::find_if(f.hits.begin(), f.hits.end(),
                                     [&](const Hit& hit) { return hit.id == "answer-" + std::to_string(value); });
        if (it == f.hits.end()) continue;
        const float face_mm = face_diameter_px(f, *it, value, px_per_mm) / px_per_mm;
        CHECK_MESSAGE(face_mm >= kMinFace_mm, file << ": the face on answer-" << value << " is " << face_mm << " mm across");
        f.smallest_face_mm = f.smallest_face_mm > 0 ? std::min(f.smallest_face_mm, face_mm) : face_mm;
    }
    check_reach(f, cfg, file);
    check_legibility(f, cfg, file);
    return f;
}

const Hit& hit_of(const Frame& f, const std::string& id) {
    const auto it = std::find_if(f.hits.begin(), f.hits.end(), [&](const Hit& h) { return h.id == id; });
    REQUIRE_MESSAGE(it != f.hits.end(), "no element ", id);
    return *it;
}

std::vector<std::string> ids(const Frame& f) {
    std::vector<std::string> out;
    for (const Hit& h : f.hits) out.push_back(h.id);
    return out;
}

// Pixels that differ between two frames of the same size.
long differing_pixels(const Frame& a, const Frame& b) {
    long n = 0;
    for (std::size_t i = 0; i + 2 < a.rgb.size(); i += 3)
        if (a.rgb[i] != b.rgb[i] || a.rgb[i + 1] != b.rgb[i + 1] || a.rgb[i + 2] != b.rgb[i + 2]) ++n;
    return n;
}

// Pixels of the text colour (near-black) in a horizontal band: text is there.
long text_pixels(const Frame& f, float y0, float y1) {
    long n = 0;
    for (int y = static_cast<int>(y0); y < static_cast<int>(y1); ++y)
        for (int x = 0; x < f.width; ++x)
            if (close_colour(f.at(static_cast<float>(x), static_cast<float>(y)), Palette{}.text)) ++n;
    return n;
}

// A question screen's elements, in order, and the five answers: each edged
// by an outline of at least 3:1 against the background (WCAG 1.4.11), with
// the scale's colour as a band inside it, read from the drawn pixels.
void check_question_elements(const Frame& question, bool with_back) {
    std::vector<std::string> expected = {"answer-1", "answer-2", "answer-3", "answer-4", "answer-5"};
    if (with_back) expected.push_back("back");
    expected.insert(expected.end(), {"dont-know", "skip", "lang-da", "lang-en"});
    CHECK(ids(question) == expected);
    const Palette p;
    for (int v = 1; v <= 5; ++v) {
        const Hit& a = question.hits[static_cast<std::size_t>(v - 1)];
        const float x = (a.x0 + a.x1) * 0.5f;
        // Down from the top edge: outline first, then the band, then the card.
        std::vector<Rgba> column;
        for (float y = a.y0; y < a.y0 + 40; y += 1) column.push_back(question.at(x, y));
        // The edge as the eye sees it: the outline's strongest pixel in the
        // first few rows (the very first is blended by anti-aliasing).
        Rgba edge = column[0];
        for (std::size_t i = 0; i < 6; ++i)
            if (contrast_ratio(column[i], p.background) > contrast_ratio(edge, p.background)) edge = column[i];
        CHECK_MESSAGE(contrast_ratio(edge, p.background) >= 3.0f,
                      "answer " << v << " edge " << hex(edge) << " is " << contrast_ratio(edge, p.background) << ":1");
        const bool band = std::any_of(column.begin(), column.end(), [&](Rgba c) { return close_colour(c, p.scale[v - 1]); });
        CHECK_MESSAGE(band, "answer " << v << ": no band in " << hex(p.scale[v - 1]) << " inside the outline");
    }
}

}  // namespace

TEST_CASE("every answer's outline has at least 3:1 against the background, in the palette") {
    const Palette p;
    // The outline is what marks the button (WCAG 1.4.11); the scale colours
    // inside it carry no meaning alone (face and word do), and the white card
    // is nearly the background's colour: neither could edge it.
    CHECK(contrast_ratio(p.outline, p.background) >= 3.0f);
    CHECK(contrast_ratio(p.outline, p.card) >= 3.0f);
    CHECK(contrast_ratio(p.card, p.background) < 3.0f);  // why the outline is needed
    int pale = 0;
    for (Rgba c : p.scale) pale += contrast_ratio(c, p.background) < 3.0f;
    CHECK(pale >= 3);  // ... and why the colours alone would not do
}

TEST_CASE("every screen in both languages and both orientations is drawn as designed") {
    SimEnv env;
    Diagnostics errors;
    std::optional<LoadedConfig> loaded = load_all(env.config, &errors);
    REQUIRE(loaded);
    for (auto [w, h] : {std::pair{1920, 1080}, std::pair{1280, 800}, std::pair{1080, 1920}}) {
        // A 21.5″ panel of this mode (its pixels per mm follow from both).
        std::optional<LoadedConfig> cfg = loaded;
        cfg->config.width = w;
        cfg->config.height = h;
        std::map<std::string, Frame> question_by_lang, attract_by_lang;
        for (const std::string lang : {"da", "en"}) {
            CAPTURE(w);
            CAPTURE(lang);
            std::filesystem::remove(env.db);
            std::string error;
            std::unique_ptr<Simulator> sim =
                Simulator::open(*cfg, w, h, make_inline_writer(env.db), 7, *parse_iso8601("2026-11-27T09:41:00Z"), {}, &error);
            REQUIRE_MESSAGE(sim, error);
            if (lang == "en") REQUIRE(sim->tap("lang-en", &error));

            // Attract is the first statement: its answers, "don't know", about, the languages.
            Frame attract = capture_and_check(*sim, *cfg, w, h, lang, "attract");
            CHECK(ids(attract) == std::vector<std::string>{"answer-1", "answer-2", "answer-3", "answer-4", "answer-5",
                                                           "dont-know", "about", "lang-da", "lang-en"});
            CHECK(text_pixels(attract, 0.1f * h, 0.5f * h) > 1000);  // the statement is there
            attract_by_lang[lang] = attract;

            // The first tap is an answer: its check mark, then the second statement.
            REQUIRE(sim->tap("answer-4", &error));
            Frame chosen = capture_and_check(*sim, *cfg, w, h, lang, "attract-chosen");
            CHECK(sim->kiosk().terminal().flow().chosen == 4);
            const Hit& four = hit_of(chosen, "answer-4");
            CHECK(differing_pixels(chosen, attract) > 500);
            CHECK(text_pixels(chosen, four.y0 - 10, four.y0 + (four.y1 - four.y0) * 0.3f) > 200);  // the dark badge
            sim->wait(0.4);
            REQUIRE(sim->screen() == Screen::question);
            Frame question = capture_and_check(*sim, *cfg, w, h, lang, "question");
            check_question_elements(question, true);  // statement 2 of 3: "back" is there
            // "‹ Tilbage" with its angle quote, not the font's fallback '?'.
            CHECK(drawn_letters("button").find(letters_of(cfg->texts.get(lang, "back"))) != std::u32string::npos);
            question_by_lang[lang] = question;

            // After the idle time, the warning; its button keeps the session.
            sim->wait(20);
            REQUIRE(sim->kiosk().terminal().flow().still_there);
            sim->wait(3);  // the bar has shrunk by 3 of 10 s
            Frame warning = capture_and_check(*sim, *cfg, w, h, lang, "still-there");
            CHECK(ids(warning) == std::vector<std::string>{"still-here"});  // nothing else to tap under it
            REQUIRE(sim->tap("still-here", &error));
            CHECK_FALSE(sim->kiosk().terminal().flow().still_there);

            REQUIRE(sim->tap("answer-2", &error));
            sim->wait(0.4);
            REQUIRE(sim->tap("skip", &error));
            REQUIRE(sim->screen() == Screen::thanks);
            sim->wait(4);  // the undo window's bar has shrunk by 4 of 10 s
            Frame thanks = capture_and_check(*sim, *cfg, w, h, lang, "thanks");
            CHECK(ids(thanks) == std::vector<std::string>{"undo"});  // "Fortryd", and nothing else to tap
            CHECK(text_pixels(thanks, 0.3f * h, 0.7f * h) > 1000);
            REQUIRE(sim->tap("undo", &error));
            Frame undone = capture_and_check(*sim, *cfg, w, h, lang, "undone");
            CHECK(undone.hits.empty());
            CHECK(differing_pixels(undone, thanks) > 10000);

            sim->wait(3);  // "removed" for thanks_s, then the cooldown
            REQUIRE(sim->screen() == Screen::cooldown);
            Frame cooldown = capture_and_check(*sim, *cfg, w, h, lang, "cooldown");
            CHECK(cooldown.hits.empty());  // nothing to tap: a calm pause in both languages
            CHECK(differing_pixels(cooldown, attract) > 10000);

            // The about screen, from the next statement.
            sim->wait(5);
            REQUIRE(sim->screen() == Screen::attract);
            REQUIRE(sim->tap("about", &error));
            REQUIRE(sim->screen() == Screen::about);
            Frame about = capture_and_check(*sim, *cfg, w, h, lang, "about");
            CHECK(ids(about) == std::vector<std::string>{"about-close", "lang-da", "lang-en"});
            CHECK(text_pixels(about, 0.1f * h, 0.5f * h) > 3000);
            REQUIRE(sim->tap("about-close", &error));
            CHECK(sim->screen() == Screen::attract);
        }
        CHECK(differing_pixels(question_by_lang["da"], question_by_lang["en"]) > 2000);
        CHECK(differing_pixels(attract_by_lang["da"], attract_by_lang["en"]) > 2000);
    }
}

TEST_CASE("the saving and out-of-order screens are drawn, in both languages") {
    SimEnv env;
    Diagnostics errors;
    std::optional<LoadedConfig> cfg = load_all(env.config, &errors);
    REQUIRE(cfg);
    for (const std::string lang : {"da", "en"}) {
        std::string error;
        std::unique_ptr<Simulator> sim = Simulator::open(*cfg, 1920, 1080, std::make_unique<NeverDurableWriter>(), 1,
                                                         *parse_iso8601("2026-11-27T09:41:00Z"), {}, &error);
        REQUIRE_MESSAGE(sim, error);
        if (lang == "en") sim->tap("lang-en", &error);
        sim->tap("answer-5", &error);
        sim->wait(0.4);
        sim->tap("skip", &error);
        sim->tap("skip", &error);
        CHECK(sim->screen() == Screen::saving);  // not thanked before the answer is durable
        sim->wait(60);
        CHECK(sim->screen() == Screen::saving);
        Frame saving = capture_and_check(*sim, *cfg, 1920, 1080, lang, "saving");
        CHECK(saving.hits.empty());
        sim.reset();

    }
}

TEST_CASE("the out-of-order and closed screens show both languages, the terminal's own first, landscape and portrait") {
    SimEnv env("", "answers.sqlite3", "\n[schedule]\nfriday = \"07:00-17:00\"\n");
    Diagnostics errors;
    std::optional<LoadedConfig> loaded = load_all(env.config, &errors);
    REQUIRE(loaded);
    const UnixSeconds open_hours = *parse_iso8601("2026-11-27T09:41:00Z");   // Friday 10:41 in Copenhagen
    const UnixSeconds night = *parse_iso8601("2026-11-27T20:00:00Z");        // Friday 21:00
    for (auto [w, h] : {std::pair{1920, 1080}, std::pair{1080, 1920}}) {
        for (const std::string own : {"da", "en"}) {
            CAPTURE(w);
            CAPTURE(own);
            LoadedConfig cfg = *loaded;
            cfg.config.language = own;
            const std::string other = own == "da" ? "en" : "da";
            // Both languages' words drawn, the terminal's own first.
            const auto check_both = [&](const std::vector<const char*>& keys) {
                const std::u32string drawn = drawn_letters();
                for (const char* key : keys) {
                    const std::size_t at_own = drawn.find(letters_of(cfg.texts.get(own, key)));
                    const std::size_t at_other = drawn.find(letters_of(cfg.texts.get(other, key)));
                    CHECK_MESSAGE(at_own != std::u32string::npos, key << " in " << own << " is not on the screen");
                    CHECK_MESSAGE(at_other != std::u32string::npos, key << " in " << other << " is not on the screen");
                    CHECK(at_own < at_other);
                }
            };

            std::string error;
            std::unique_ptr<Simulator> sim =
                Simulator::open(cfg, w, h, std::make_unique<FullDiskWriter>(), 1, open_hours, {}, &error);
            REQUIRE_MESSAGE(sim, error);
            CHECK(sim->screen() == Screen::out_of_order);
            CHECK(sim->kiosk().terminal().flow().fault_code == "DB-13");
            Frame broken = capture_and_check(*sim, cfg, w, h, own, "out-of-order");
            CHECK(broken.hits.empty());
            CHECK(text_pixels(broken, 0.2f * static_cast<float>(h), 0.8f * static_cast<float>(h)) > 1000);
            check_both({"out_of_order_title", "out_of_order_body"});
            CHECK(drawn_letters().find(U"DB-13") != std::u32string::npos);  // the code for IT
            sim.reset();

            std::filesystem::remove(env.db);
            sim = Simulator::open(cfg, w, h, make_inline_writer(env.db), 1, night, {}, &error);
            REQUIRE_MESSAGE(sim, error);
            REQUIRE(sim->screen() == Screen::closed);
            Frame dark = capture_and_check(*sim, cfg, w, h, own, "closed");
            CHECK(drawn_glyphs().empty());  // dark: nothing to read until a tap
            REQUIRE(sim->tap("closed", &error));
            REQUIRE(sim->kiosk().terminal().flow().closed_message);
            Frame message = capture_and_check(*sim, cfg, w, h, own, "closed-message");
            check_both({"closed_message"});
            CHECK(differing_pixels(dark, message) > 2000);
        }
    }
}

TEST_CASE("the longest statement of the bank is drawn whole, inside the screen and clear of the buttons, in both languages") {
    SimEnv env;
    Diagnostics errors;
    std::optional<LoadedConfig> loaded = load_all(env.config, &errors);
    REQUIRE(loaded);
    struct Panel {
        int w, h;
        double diagonal_inch;
    };
    // The test glass (21.5″) in three shapes, the 23.8″ terminal, the smallest
    // panel we plan for (15.6″ 1280 × 720), and that one in portrait.
    for (const Panel panel : {Panel{1920, 1080, 21.5}, Panel{1280, 800, 21.5}, Panel{1080, 1920, 21.5},
                              Panel{1920, 1080, 23.8}, Panel{1280, 720, 15.6}, Panel{720, 1280, 15.6}}) {
        for (const std::string lang : {"da", "en"}) {
            CAPTURE(panel.w);
            CAPTURE(panel.h);
            CAPTURE(panel.diagonal_inch);
            CAPTURE(lang);
            LoadedConfig cfg = *loaded;
            cfg.config.diagonal_inch = panel.diagonal_inch;
            cfg.config.width = panel.w;  // the glass's pixels per mm come from its mode and diagonal
            cfg.config.height = panel.h;
            cfg.config.language = lang;
            // Only the question whose statement is longest in lang is asked.
            std::size_t longest = 0;
            for (std::size_t i = 0; i < cfg.bank.questions.size(); ++i)
                if (letters_of(cfg.bank.questions[i].text.at(lang)).size() >
                    letters_of(cfg.bank.questions[longest].text.at(lang)).size())
                    longest = i;
            for (std::size_t i = 0; i < cfg.bank.questions.size(); ++i) cfg.bank.questions[i].active = i == longest;
            const std::string& statement = cfg.bank.questions[longest].text.at(lang);
            CHECK(statement.size() >= 90);  // it is the long one

            std::filesystem::remove(env.db);
            std::string error;
            std::unique_ptr<Simulator> sim = Simulator::open(cfg, panel.w, panel.h, make_inline_writer(env.db), 1,
                                                             *parse_iso8601("2026-11-27T09:41:00Z"), {}, &error);
            REQUIRE_MESSAGE(sim, error);
            // Attract shows it (the first statement, under the headline and
            // over the answers and the promise: the tightest layout).
            REQUIRE(sim->screen() == Screen::attract);
            REQUIRE(sim->kiosk().terminal().flow().current_question() == cfg.bank.questions[longest].id);
            const std::string name = "longest-" + std::to_string(static_cast<int>(panel.diagonal_inch * 10)) + "in";
            Frame f = capture_and_check(*sim, cfg, panel.w, panel.h, lang, name);
            // Whole: every letter, in order, nothing cut off into "…".
            CHECK(drawn_letters("statement") == letters_of(statement));
            float lowest = 0;
            for (const DrawnGlyph& g : drawn_glyphs()) {
                if (std::string(g.role) != "statement") continue;
                lowest = std::max(lowest, g.y1);
                for (const Hit& hit : f.hits)
                    CHECK_MESSAGE(!overlaps(g.x0, g.y0, g.x1, g.y1, hit), "the statement runs into " << hit.id);
            }
            CHECK(lowest > 0);
            float cap_mm = 1e9f;
            for (const DrawnGlyph& g : drawn_glyphs())
                if (std::string(g.role) == "statement") cap_mm = std::min(cap_mm, g.cap_px / px_per_mm_of(cfg, f.width, f.height));
            MESSAGE(name << " " << panel.w << "x" << panel.h << " " << lang << ": statement capitals " << cap_mm
                         << " mm, answer faces " << f.smallest_face_mm << " mm");
        }
    }
}

// Whether the letters of `part` are drawn one after another in the last frame.
bool drawn_in_order(const std::string& part) { return drawn_letters().find(letters_of(part)) != std::u32string::npos; }

TEST_CASE("the manager's response on attract: wrapped and cut with an ellipsis, its week's participation or no number, both languages, landscape and portrait") {
    SimEnv env;
    Diagnostics errors;
    std::optional<LoadedConfig> loaded = load_all(env.config, &errors);
    REQUIRE(loaded);
    // Near the 280 characters allowed, in each language: more than fits on attract.
    std::string da = "Tak for jeres svar. I har sagt tydeligt, at I savner at vide, hvad der sker med jeres forslag. "
                     "Fra januar samler vi dem på tavlen i frokoststuen, og hver fredag fortæller jeg kort, hvad der er "
                     "besluttet, og hvorfor. Skriv til mig eller kom forbi, hvis noget mangler.";
    std::string en = "Thank you for your answers. You told us clearly that you miss knowing what happens to your ideas. "
                     "From January we collect them on the board in the staff room, and every Friday I say briefly what "
                     "was decided and why. Write to me or drop by if something is missing.";
    const auto characters = [](const std::string& t) {
        return std::count_if(t.begin(), t.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
    };
    REQUIRE(characters(da) <= 280);
    REQUIRE(characters(en) <= 280);
    REQUIRE(characters(da) > 250);
    for (const auto& [w, h] : {std::pair{1920, 1080}, std::pair{1080, 1920}}) {
        for (const std::string lang : {"da", "en"}) {
            CAPTURE(w);
            CAPTURE(lang);
            LoadedConfig cfg = *loaded;
            cfg.config.width = w;
            cfg.config.height = h;
            cfg.config.language = lang;
            std::filesystem::remove(env.db);
            News news{{2026, 48}, 38, "Leder A", {{"da", da}, {"en", en}}};
            std::string error;
            REQUIRE_MESSAGE(write_news(news_file_for(env.db), news, "\"n1\"", &error), error);
            std::unique_ptr<Simulator> sim = Simulator::open(cfg, w, h, make_inline_writer(env.db), 1,
                                                             *parse_iso8601("2026-12-01T09:41:00Z"), {}, &error);
            REQUIRE_MESSAGE(sim, error);
            REQUIRE(sim->screen() == Screen::attract);
            Frame f = capture_and_check(*sim, cfg, w, h, lang, "attract-news");
            CHECK(drawn_in_order(lang == "da" ? "38 svar i uge 48 · Leder A svarer:" : "38 answers in week 48 · Leder A replies:"));
            // Too long for the room: cut at a word with "…", never drawn outside (capture_and_check).
            const std::string& text = lang == "da" ? da : en;
            CHECK(drawn_in_order(text.substr(0, 40)));
            CHECK_FALSE(drawn_in_order(text.substr(text.size() - 30)));
            CHECK(drawn_letters().find(U'\u2026') != std::u32string::npos);
            const std::string& statement =
                cfg.bank.find_question(sim->kiosk().terminal().flow().current_question())->text.at(lang);
            CHECK(drawn_letters("statement") == letters_of(statement));  // the statement stays whole

            // A short response, no English, and that week's participation withheld: no number, the Danish text.
            news = News{{2026, 48}, std::nullopt, "Leder A", {{"da", "Vi holder fast i fredagsmødet."}}};
            REQUIRE_MESSAGE(write_news(news_file_for(env.db), news, "\"n2\"", &error), error);
            REQUIRE(sim->kiosk().reload_news());
            sim->wait(0);
            capture_and_check(*sim, cfg, w, h, lang, "attract-news-withheld");
            CHECK(drawn_in_order(lang == "da" ? "Uge 48 · Leder A svarer:" : "Week 48 · Leder A replies:"));
            CHECK_FALSE(drawn_in_order("38"));
            CHECK(drawn_in_order("»Vi holder fast i fredagsmødet.«"));
            CHECK(drawn_letters().find(U'\u2026') == std::u32string::npos);

            // None kept (the collector said 204): attract as without news.
            REQUIRE(write_news(news_file_for(env.db), std::nullopt, "", &error));
            REQUIRE(sim->kiosk().reload_news());
            sim->wait(0);
            Frame plain = capture_and_check(*sim, cfg, w, h, lang, "attract-no-news");
            CHECK_FALSE(drawn_in_order("Leder A"));
            CHECK(differing_pixels(plain, f) > 10000);
        }
    }
}

TEST_CASE("[display] bottom_edge_m places the reachable rows: a portrait 23.8-inch panel at 0.9 m reaches 1.22 m at its upper 39 %") {
    // 1080 × 1920 on 23.8″: 3.644 px/mm, 527 mm tall; its top is 1.427 m above the floor.
    const double px_per_mm = std::hypot(1920.0, 1080.0) / 23.8 / 25.4;
    const Layout portrait = make_layout(1080, 1920, px_per_mm, 0.9);
    CHECK(portrait.height_m(0) == doctest::Approx(1.427).epsilon(0.002));
    CHECK(portrait.height_m(portrait.reach_top) == doctest::Approx(1.22));
    CHECK(portrait.reach_top == doctest::Approx((1.427 - 1.22) * 1000 * px_per_mm).epsilon(0.01));  // about 755 px
    // Its lower edge, 0.9 m, is within reach: only half a margin is kept clear of the bezel.
    CHECK(portrait.reach_bottom == 1920 - portrait.margin * 0.5f);
    // Landscape at 0.9 m: 296 mm tall, all of it between 0.9 and 1.196 m.
    const Layout landscape = make_layout(1920, 1080, px_per_mm, 0.9);
    CHECK(landscape.reach_top == 0);
    CHECK(landscape.reach_bottom == 1080 - landscape.margin * 0.5f);
    // Mounted low (0.2 m): the lowest 0.2 m of glass is out of reach.
    const Layout low = make_layout(1920, 1080, px_per_mm, 0.2);
    CHECK(low.height_m(low.reach_bottom) == doctest::Approx(0.4));
    CHECK(low.reach_bottom == doctest::Approx(1080 - 200 * px_per_mm).epsilon(0.001));
}

TEST_CASE("[display] bottom_edge_m defaults to 0.9 m and must lie in 0..2 m, named with its file and line") {
    SimEnv plain;
    Diagnostics errors;
    std::optional<LoadedConfig> cfg = load_all(plain.config, &errors);
    REQUIRE(cfg);
    CHECK(cfg->config.bottom_edge_m == doctest::Approx(0.9));
    SimEnv low("", "answers.sqlite3", "bottom_edge_m = 0.45\n");
    cfg = load_all(low.config, &errors);
    REQUIRE(cfg);
    CHECK(cfg->config.bottom_edge_m == doctest::Approx(0.45));

    SimEnv wrong("", "answers.sqlite3", "bottom_edge_m = 90\n");  // centimetres by mistake
    const ConfigLoad load = load_kiosk_config(wrong.config);
    CHECK_FALSE(load.config);
    REQUIRE(load.errors.size() == 1);
    const std::string message = load.errors.front().str();
    std::ifstream file(wrong.config);
    int line = 0, key_line = 0;
    for (std::string text; std::getline(file, text);)
        if (++line && text.rfind("bottom_edge_m", 0) == 0) key_line = line;
    REQUIRE(key_line > 0);
    CHECK_MESSAGE(message.find(wrong.config.string() + ":" + std::to_string(key_line) + ":") != std::string::npos, message);
    CHECK_MESSAGE(message.find("[display] bottom_edge_m = 90 is out of range (0..2 m above the floor)") != std::string::npos,
                  message);
    SimEnv text("", "answers.sqlite3", "bottom_edge_m = \"0.9\"\n");
    CHECK_FALSE(load_kiosk_config(text.config).config);
}

TEST_CASE("the type and the answer faces on the glass at 1920x1080 23.8 inch and 1280x720 15.6 inch, landscape and portrait (figures)") {
    SimEnv env;
    Diagnostics errors;
    std::optional<LoadedConfig> loaded = load_all(env.config, &errors);
    REQUIRE(loaded);
    struct Panel {
        int w, h;
        double diagonal_inch;
    };
    for (const Panel panel : {Panel{1920, 1080, 23.8}, Panel{1080, 1920, 23.8}, Panel{1280, 720, 15.6}, Panel{720, 1280, 15.6}}) {
        LoadedConfig cfg = *loaded;
        cfg.config.diagonal_inch = panel.diagonal_inch;
        cfg.config.width = panel.w;
        cfg.config.height = panel.h;
        std::filesystem::remove(env.db);
        std::string error;
        std::unique_ptr<Simulator> sim = Simulator::open(cfg, panel.w, panel.h, make_inline_writer(env.db), 7,
                                                         *parse_iso8601("2026-11-27T09:41:00Z"), {}, &error);
        REQUIRE_MESSAGE(sim, error);
        const float px_per_mm = px_per_mm_of(cfg, panel.w, panel.h);
        std::map<std::string, std::pair<float, float>> caps;  // role: smallest, largest capitals drawn, mm
        float face_mm = 1e9f;  // the smallest answer face drawn
        // The frame as a screenshot (<w>x<h>-da-attract-238in.png, ...) with
        // capture_and_check's checks (faces, targets, reach, letters), and
        // its letters' sizes noted.
        const auto note = [&](const char* screen) {
            const Frame f = capture_and_check(*sim, cfg, panel.w, panel.h, "da",
                                              std::string(screen) + "-" + std::to_string(static_cast<int>(panel.diagonal_inch * 10)) + "in");
            face_mm = std::min(face_mm, f.smallest_face_mm);
            for (const DrawnGlyph& g : drawn_glyphs()) {
                auto [it, fresh] = caps.emplace(g.role, std::pair{1e9f, 0.0f});
                it->second.first = std::min(it->second.first, g.cap_px / px_per_mm);
                it->second.second = std::max(it->second.second, g.cap_px / px_per_mm);
            }
        };
        note("attract");  // the first statement
        REQUIRE(sim->tap("answer-3", &error));
        sim->wait(0.4);
        REQUIRE(sim->screen() == Screen::question);
        note("question");
        std::ostringstream out;
        out << panel.w << "x" << panel.h << " " << panel.diagonal_inch << "\" (" << px_per_mm << " px/mm):";
        for (const auto& [role, range] : caps) out << " " << role << " " << range.first << ".." << range.second << " mm;";
        out << " answer faces " << face_mm << " mm";
        MESSAGE(out.str());
        CHECK(face_mm >= kMinFace_mm);
        for (const auto& [role, range] : caps) CHECK(range.first >= kMinCap_mm - 0.005f);
        CHECK(caps.count("statement"));
    }
}

namespace {

// Panel pixels of a turned frame that differ from the same layout drawn
// unturned (reference: a frame of the layout's own size, rotation 0).
long differing_from_unturned(const Frame& turned, const Frame& reference) {
    REQUIRE(reference.turn.panel_width() == turned.turn.layout_width());
    REQUIRE(reference.turn.panel_height() == turned.turn.layout_height());
    long n = 0;
    for (int y = 0; y < turned.turn.panel_height(); ++y) {
        for (int x = 0; x < turned.turn.panel_width(); ++x) {
            const ScreenPixel l = turned.turn.to_layout_pixel(ScreenPixel{x, y});
            const std::size_t i = (static_cast<std::size_t>(y) * static_cast<std::size_t>(turned.turn.panel_width()) +
                                   static_cast<std::size_t>(x)) * 3;
            const std::size_t j = (static_cast<std::size_t>(l.y) * static_cast<std::size_t>(reference.width) +
                                   static_cast<std::size_t>(l.x)) * 3;
            if (turned.rgb[i] != reference.rgb[j] || turned.rgb[i + 1] != reference.rgb[j + 1] ||
                turned.rgb[i + 2] != reference.rgb[j + 2])
                ++n;
        }
    }
    return n;
}

// Where a layout rectangle shows on a panel turned by rotation, worked out by
// hand here (not with ScreenTurn): for 90 the layout's top edge is the
// panel's right edge, for 270 its left edge.
struct PanelRect {
    float x0, y0, x1, y1;
    float cx() const { return (x0 + x1) * 0.5f; }
    float cy() const { return (y0 + y1) * 0.5f; }
};
PanelRect on_panel(const Hit& h, int rotation, int panel_w, int panel_h) {
    const float pw = static_cast<float>(panel_w), ph = static_cast<float>(panel_h);
    if (rotation == 90) return {pw - h.y1, h.x0, pw - h.y0, h.x1};
    if (rotation == 270) return {h.y0, ph - h.x1, h.y1, ph - h.x0};
    FAIL("rotation ", rotation, " not covered by this test");
    return {};
}

const Hit& hit_named(const std::vector<Hit>& hits, const std::string& id) {
    const auto it = std::find_if(hits.begin(), hits.end(), [&](const Hit& h) { return h.id == id; });
    REQUIRE_MESSAGE(it != hits.end(), "no element ", id);
    return *it;
}

}  // namespace

TEST_CASE("a landscape panel turned 90 degrees shows the portrait screens turned, pixel for pixel, in both languages") {
    SimEnv env("start = \"button\"\n", "answers.sqlite3", "rotation = 90\n");  // the start button: one accent block
    Diagnostics errors;
    std::optional<LoadedConfig> turned_cfg = load_all(env.config, &errors);
    REQUIRE(turned_cfg);
    REQUIRE(turned_cfg->config.rotation == 90);
    LoadedConfig upright_cfg = *turned_cfg;
    upright_cfg.config.rotation = 0;
    const UnixSeconds start = *parse_iso8601("2026-11-27T09:41:00Z");
    std::map<std::string, Frame> attract_by_lang, question_by_lang;
    for (const std::string lang : {"da", "en"}) {
        CAPTURE(lang);
        // The attract and first question screens of cfg on a w × h panel (one
        // simulator at a time: ImGui and SDL are process-wide), same seed and clock.
        const auto screens = [&](const LoadedConfig& cfg, int w, int h) {
            std::filesystem::remove(env.db);
            std::string error;
            std::unique_ptr<Simulator> sim = Simulator::open(cfg, w, h, make_inline_writer(env.db), 7, start, {}, &error);
            REQUIRE_MESSAGE(sim, error);
            if (lang == "en") REQUIRE(sim->tap("lang-en", &error));
            // Hit targets, colours, reach: checked in the layout (turned or not).
            std::pair<Frame, Frame> frames;
            frames.first = capture_and_check(*sim, cfg, w, h, lang, "attract");
            REQUIRE(sim->tap("start", &error));
            REQUIRE(sim->screen() == Screen::question);
            frames.second = capture_and_check(*sim, cfg, w, h, lang, "question");
            return frames;
        };
        // The panel as mounted (1920 × 1080, turned), and the portrait layout
        // drawn upright on a 1080 × 1920 window.
        const auto [attract, question] = screens(*turned_cfg, 1920, 1080);
        const auto [attract_upright, question_upright] = screens(upright_cfg, 1080, 1920);
        CHECK(attract.width == 1080);
        CHECK(attract.height == 1920);

        CHECK(ids(attract) == std::vector<std::string>{"start", "about", "lang-da", "lang-en"});
        CHECK(text_pixels(attract, 0.1f * 1920, 0.3f * 1920) > 1000);  // the headline, in layout rows
        CHECK(differing_from_unturned(attract, attract_upright) == 0);
        attract_by_lang[lang] = attract;

        check_question_elements(question, false);
        CHECK(differing_from_unturned(question, question_upright) == 0);
        question_by_lang[lang] = question;
    }
    CHECK(differing_pixels(attract_by_lang["da"], attract_by_lang["en"]) > 2000);
    CHECK(differing_pixels(question_by_lang["da"], question_by_lang["en"]) > 2000);
}

TEST_CASE("on a panel turned 90 or 270 degrees a tap where a button shows presses that button") {
    for (int rotation : {90, 270}) {
        CAPTURE(rotation);
        SimEnv env("start = \"button\"\n", "answers.sqlite3", "rotation = " + std::to_string(rotation) + "\n");
        Diagnostics errors;
        std::optional<LoadedConfig> cfg = load_all(env.config, &errors);
        REQUIRE(cfg);
        std::string error;
        std::unique_ptr<Simulator> sim = Simulator::open(*cfg, 1920, 1080, make_inline_writer(env.db), 1,
                                                         *parse_iso8601("2026-11-27T09:41:00Z"), {}, &error);
        REQUIRE_MESSAGE(sim, error);
        const std::vector<std::uint8_t> rgb = sim->pixels();
        const auto panel_colour = [&](float x, float y) {
            const std::size_t i = (static_cast<std::size_t>(y) * 1920 + static_cast<std::size_t>(x)) * 3;
            return (Rgba(rgb[i]) << 24) | (Rgba(rgb[i + 1]) << 16) | (Rgba(rgb[i + 2]) << 8) | 0xFF;
        };
        const PanelRect start = on_panel(hit_named(sim->hits(), "start"), rotation, 1920, 1080);
        const PanelRect english = on_panel(hit_named(sim->hits(), "lang-en"), rotation, 1920, 1080);
        // The start button shows there in the accent colour, nowhere else.
        CHECK(close_colour(panel_colour(start.cx(), start.y0 + 4), Palette{}.accent));
        CHECK(close_colour(panel_colour(start.x0 + 4, start.cy()), Palette{}.accent));
        long accent_outside = 0;
        for (int y = 0; y < 1080; y += 2)
            for (int x = 0; x < 1920; x += 2)
                if ((x < start.x0 - 1 || x > start.x1 + 1 || y < start.y0 - 1 || y > start.y1 + 1) &&
                    panel_colour(static_cast<float>(x), static_cast<float>(y)) == Palette{}.accent)
                    ++accent_outside;
        CHECK(accent_outside == 0);
        // The English button is low in the layout, within reach: near the
        // panel's left edge for 90 (the layout's bottom), its right edge for 270.
        if (rotation == 90) CHECK(english.x1 < 480);
        else CHECK(english.x0 > 1440);

        // Where the other rotation would show the toggle, nothing is.
        const PanelRect elsewhere = on_panel(hit_named(sim->hits(), "lang-en"), rotation == 90 ? 270 : 90, 1920, 1080);
        CHECK_FALSE(sim->tap_at(elsewhere.cx(), elsewhere.cy(), &error));
        CHECK(error.find("nothing to tap at panel") != std::string::npos);
        sim.reset();

        // Taps from a script (`tap <x> <y>` in panel pixels) on English and
        // on the start button, then an answer: it is stored, in English.
        SimResult r = env.simulate("tap " + std::to_string(english.cx()) + " " + std::to_string(english.cy()) +
                                   "\ntap " + std::to_string(start.cx()) + " " + std::to_string(start.cy()) +
                                   "\ntap answer-4\nwait 0.4\ntap skip\ntap skip\n");
        REQUIRE_MESSAGE(r.exit_code == 0, r.err);
        const std::vector<Row> rows = env.rows();
        REQUIRE(rows.size() == 1);  // skips store nothing
        CHECK(rows[0].lang == "en");
        CHECK(rows[0].value == 4);
    }
}

TEST_CASE("text and controls have at least 4.5:1 contrast against what they are drawn on") {
    const Palette p;
    CHECK(contrast_ratio(p.text, p.background) >= 4.5f);
    CHECK(contrast_ratio(p.muted, p.background) >= 4.5f);
    CHECK(contrast_ratio(p.text, p.card) >= 4.5f);
    CHECK(contrast_ratio(p.on_accent, p.accent) >= 4.5f);
    CHECK(contrast_ratio(p.text, p.calm) >= 4.5f);
    CHECK(contrast_ratio(p.background, p.text) >= 4.5f);  // the selected language button
    // A face's eyes and mouth are graphics, not text: WCAG 1.4.11 asks 3:1.
    // The word under each face is text on the white card (checked above).
    for (Rgba face : p.scale) {
        const Rgba ink = readable_on(face, p.text, p.card);
        CHECK_MESSAGE(contrast_ratio(ink, face) >= 3.0f, hex(face));
    }
}

}  // namespace kiosk_test_screens
