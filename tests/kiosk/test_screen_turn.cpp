// test_screen_turn.cpp — kiosk/screen_turn: for each rotation, the layout's
// size, where its corners and centre land on the panel (the picture turned
// clockwise), the way back for touch, and whole pixels mapping one to one;
// and the pointer handing a turned panel's finger and mouse to ImGui in
// layout coordinates.
#include "kiosk/pointer.hpp"
#include "kiosk/screen_turn.hpp"

#include <SDL.h>
#include <doctest/doctest.h>
#include <imgui.h>

#include <set>
#include <utility>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace kiosk_test_screen_turn {

using namespace pulse;

namespace {

constexpr int kPanelW = 1920, kPanelH = 1080;

void check_point(ScreenPoint got, float x, float y) {
    CHECK(got.x == doctest::Approx(x));
    CHECK(got.y == doctest::Approx(y));
}

}  // namespace

TEST_CASE("a panel turned 90 or 270 degrees lays the screens out on its height by its width, and 0 and 180 keep its size") {
    CHECK(ScreenTurn(0, kPanelW, kPanelH).layout_width() == 1920);
    CHECK(ScreenTurn(0, kPanelW, kPanelH).layout_height() == 1080);
    CHECK_FALSE(ScreenTurn(0, kPanelW, kPanelH).turned());
    CHECK(ScreenTurn(180, kPanelW, kPanelH).layout_width() == 1920);
    CHECK(ScreenTurn(180, kPanelW, kPanelH).layout_height() == 1080);
    for (int r : {90, 270}) {
        CAPTURE(r);
        const ScreenTurn t(r, kPanelW, kPanelH);
        CHECK(t.turned());
        CHECK(t.layout_width() == 1080);
        CHECK(t.layout_height() == 1920);
        CHECK(t.panel_width() == 1920);
        CHECK(t.panel_height() == 1080);
    }
}

TEST_CASE("the layout's corners and centre land where a clockwise turn puts them, for each angle") {
    // Layout corners named as the person sees the screens: top-left, top-right, bottom-left.
    SUBCASE("0: nothing moves") {
        const ScreenTurn t(0, kPanelW, kPanelH);
        check_point(t.to_panel({0, 0}), 0, 0);
        check_point(t.to_panel({1920, 0}), 1920, 0);
        check_point(t.to_panel({0, 1080}), 0, 1080);
        check_point(t.to_panel({960, 540}), 960, 540);
    }
    SUBCASE("90: the layout's top edge is the panel's right edge") {
        const ScreenTurn t(90, kPanelW, kPanelH);  // layout 1080 x 1920
        check_point(t.to_panel({0, 0}), 1920, 0);        // top-left -> top-right
        check_point(t.to_panel({1080, 0}), 1920, 1080);  // top-right -> bottom-right
        check_point(t.to_panel({0, 1920}), 0, 0);        // bottom-left -> top-left
        check_point(t.to_panel({1080, 1920}), 0, 1080);  // bottom-right -> bottom-left
        check_point(t.to_panel({540, 960}), 960, 540);   // centre stays the centre
    }
    SUBCASE("180: upside down") {
        const ScreenTurn t(180, kPanelW, kPanelH);
        check_point(t.to_panel({0, 0}), 1920, 1080);
        check_point(t.to_panel({1920, 0}), 0, 1080);
        check_point(t.to_panel({0, 1080}), 1920, 0);
        check_point(t.to_panel({960, 540}), 960, 540);
    }
    SUBCASE("270: the layout's top edge is the panel's left edge") {
        const ScreenTurn t(270, kPanelW, kPanelH);  // layout 1080 x 1920
        check_point(t.to_panel({0, 0}), 0, 1080);        // top-left -> bottom-left
        check_point(t.to_panel({1080, 0}), 0, 0);        // top-right -> top-left
        check_point(t.to_panel({0, 1920}), 1920, 1080);  // bottom-left -> bottom-right
        check_point(t.to_panel({1080, 1920}), 1920, 0);  // bottom-right -> top-right
        check_point(t.to_panel({540, 960}), 960, 540);
    }
}

TEST_CASE("a touch on the panel maps back to the layout point drawn there, for each angle") {
    for (int r : {0, 90, 180, 270}) {
        CAPTURE(r);
        const ScreenTurn t(r, kPanelW, kPanelH);
        // The panel's corners and centre are the layout's corners and centre.
        check_point(t.to_layout({960, 540}), t.layout_width() / 2.0f, t.layout_height() / 2.0f);
        for (ScreenPoint layout : {ScreenPoint{0, 0}, ScreenPoint{static_cast<float>(t.layout_width()), 0},
                                   ScreenPoint{0, static_cast<float>(t.layout_height())},
                                   ScreenPoint{static_cast<float>(t.layout_width()), static_cast<float>(t.layout_height())}}) {
            const ScreenPoint panel = t.to_panel(layout);
            CHECK((panel.x == 0 || panel.x == kPanelW));
            CHECK((panel.y == 0 || panel.y == kPanelH));
            check_point(t.to_layout(panel), layout.x, layout.y);
        }
        // Round trips of arbitrary points, both ways.
        for (ScreenPoint p : {ScreenPoint{12.25f, 700.5f}, ScreenPoint{1000.75f, 3}, ScreenPoint{333, 1079.5f}}) {
            const ScreenPoint back = t.to_layout(t.to_panel(p));
            CHECK(back.x == doctest::Approx(p.x));
            CHECK(back.y == doctest::Approx(p.y));
            const ScreenPoint there = t.to_panel(t.to_layout(p));
            CHECK(there.x == doctest::Approx(p.x));
            CHECK(there.y == doctest::Approx(p.y));
        }
    }
    // Turning by 90 and then by 270 (on the turned size) brings a point back.
    const ScreenTurn quarter(90, kPanelW, kPanelH), back(270, kPanelH, kPanelW);
    const ScreenPoint p{100, 200};
    check_point(back.to_layout(quarter.to_layout(p)), 100, 200);
}

TEST_CASE("whole pixels map one to one between panel and layout, with the pixel's centre") {
    // A small odd-sized panel, so every pixel can be visited.
    constexpr int w = 7, h = 4;
    for (int r : {0, 90, 180, 270}) {
        CAPTURE(r);
        const ScreenTurn t(r, w, h);
        std::set<std::pair<int, int>> seen;
        for (int y = 0; y < h; ++y) {
            for (int x = 0; x < w; ++x) {
                const ScreenPixel l = t.to_layout_pixel(ScreenPixel{x, y});
                CHECK(l.x >= 0);
                CHECK(l.x < t.layout_width());
                CHECK(l.y >= 0);
                CHECK(l.y < t.layout_height());
                seen.insert({l.x, l.y});
                CHECK(t.to_panel_pixel(l) == ScreenPixel{x, y});
                // The pixel's centre maps to the centre of that layout pixel.
                check_point(t.to_layout(ScreenPoint{x + 0.5f, y + 0.5f}), l.x + 0.5f, l.y + 0.5f);
            }
        }
        CHECK(seen.size() == static_cast<std::size_t>(w * h));
    }
    // 90: the layout's top-left pixel is the panel's top-right one.
    CHECK(ScreenTurn(90, w, h).to_panel_pixel(ScreenPixel{0, 0}) == ScreenPixel{w - 1, 0});
    CHECK(ScreenTurn(270, w, h).to_panel_pixel(ScreenPixel{0, 0}) == ScreenPixel{0, h - 1});
}

TEST_CASE("a finger and a mouse on a turned panel reach ImGui at the layout point shown under them") {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    const ScreenTurn turn(90, kPanelW, kPanelH);
    Pointer p;
    // A finger at the panel's top-right corner region (normalised 0.9, 0.1):
    // panel (1728, 108) shows layout (108, 192), near the layout's top-left.
    SDL_Event finger{};
    finger.type = SDL_FINGERDOWN;
    finger.tfinger.x = 0.9f;
    finger.tfinger.y = 0.1f;
    CHECK(p.handle(finger, turn));
    p.apply(io);
    CHECK(io.MouseDown[0]);
    CHECK(io.MousePos.x == doctest::Approx(108));
    CHECK(io.MousePos.y == doctest::Approx(192));

    // A mouse click on panel pixel (1919, 0) is on layout pixel (0, 0).
    SDL_Event click{};
    click.type = SDL_MOUSEBUTTONDOWN;
    click.button.button = SDL_BUTTON_LEFT;
    click.button.x = 1919;
    click.button.y = 0;
    CHECK(p.handle(click, turn));
    p.apply(io);
    CHECK(io.MouseDown[0]);
    CHECK(io.MousePos.x == 0);
    CHECK(io.MousePos.y == 0);
    ImGui::DestroyContext();
}

}  // namespace kiosk_test_screen_turn
