// test_pointer.cpp — touch, mouse and scripted taps reach ImGui as one
// pointer: every press and release is seen by at least one frame, touch is
// not counted twice, and nothing stays hovered after a finger lifts.
#include "kiosk/pointer.hpp"

#include <doctest/doctest.h>

#include <SDL.h>
#include <imgui.h>

#include <cfloat>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace kiosk_test_pointer {

using namespace pulse;

namespace {

struct ImGuiContextGuard {
    ImGuiContextGuard() { ImGui::CreateContext(); }
    ~ImGuiContextGuard() { ImGui::DestroyContext(); }
};

SDL_Event finger(Uint32 type, float x, float y) {
    SDL_Event e{};
    e.type = type;
    e.tfinger.x = x;
    e.tfinger.y = y;
    return e;
}

SDL_Event mouse_button(Uint32 type, int x, int y, Uint32 which = 0) {
    SDL_Event e{};
    e.type = type;
    e.button.button = SDL_BUTTON_LEFT;
    e.button.x = x;
    e.button.y = y;
    e.button.which = which;
    return e;
}

}  // namespace

TEST_CASE("a finger tap that starts and ends between two frames is still pressed for one frame, then lifted") {
    ImGuiContextGuard guard;
    ImGuiIO& io = ImGui::GetIO();
    Pointer p;
    CHECK(p.handle(finger(SDL_FINGERDOWN, 0.5f, 0.25f), 1920, 1080));
    CHECK(p.handle(finger(SDL_FINGERUP, 0.5f, 0.25f), 1920, 1080));
    p.apply(io);  // frame 1: the press, at the finger's pixel position
    CHECK(io.MouseDown[0]);
    CHECK(io.MousePos.x == 960);
    CHECK(io.MousePos.y == 270);
    p.apply(io);  // frame 2: released where it was pressed
    CHECK_FALSE(io.MouseDown[0]);
    CHECK(io.MousePos.x == 960);
    p.apply(io);  // frame 3: lifted, nothing hovered
    CHECK_FALSE(io.MouseDown[0]);
    CHECK(io.MousePos.x == -FLT_MAX);
    CHECK_FALSE(p.busy());
}

TEST_CASE("mouse events that SDL synthesises from touch are ignored, so a tap counts once") {
    ImGuiContextGuard guard;
    Pointer p;
    CHECK_FALSE(p.handle(mouse_button(SDL_MOUSEBUTTONDOWN, 10, 10, SDL_TOUCH_MOUSEID), 1920, 1080));
    CHECK_FALSE(p.handle(mouse_button(SDL_MOUSEBUTTONUP, 10, 10, SDL_TOUCH_MOUSEID), 1920, 1080));
    CHECK_FALSE(p.busy());
}

TEST_CASE("a real mouse click presses and releases, and the mouse keeps hovering where it is") {
    ImGuiContextGuard guard;
    ImGuiIO& io = ImGui::GetIO();
    Pointer p;
    CHECK(p.handle(mouse_button(SDL_MOUSEBUTTONDOWN, 100, 200), 1920, 1080));
    CHECK(p.handle(mouse_button(SDL_MOUSEBUTTONUP, 100, 200), 1920, 1080));
    p.apply(io);
    CHECK(io.MouseDown[0]);
    p.apply(io);
    CHECK_FALSE(io.MouseDown[0]);
    CHECK(io.MousePos.x == 100);
    p.apply(io);
    CHECK(io.MousePos.y == 200);  // still there
}

TEST_CASE("scripted taps take the same path as touch") {
    ImGuiContextGuard guard;
    ImGuiIO& io = ImGui::GetIO();
    Pointer p;
    p.press(30, 40);
    p.release();
    CHECK(p.busy());
    p.apply(io);
    CHECK(io.MouseDown[0]);
    p.apply(io);
    CHECK_FALSE(io.MouseDown[0]);
    p.apply(io);
    CHECK(io.MousePos.x == -FLT_MAX);
    CHECK_FALSE(p.busy());
}

}  // namespace kiosk_test_pointer
