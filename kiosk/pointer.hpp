// pointer.hpp — one pointer for touch, mouse and scripted taps. Dear ImGui
// 1.86's SDL backend ignores SDL event coordinates and finger events and only
// polls the mouse when focused, so Pulse keeps its own pointer and writes it
// into ImGui's IO every frame. Every press and release is held for at least
// one frame, and after a touch ends the position is cleared so nothing stays
// hovered. Positions from the window are mapped through the panel's turn
// ([display] rotation) to the layout the screens are drawn on.
#pragma once

#include "kiosk/screen_turn.hpp"

#include <deque>

union SDL_Event;
struct ImGuiIO;

namespace pulse {

class Pointer {
public:
    // Feeds one SDL event. Returns true if it changed the pointer (then the
    // caller should draw frames until !busy()), false for events it ignores.
    // Mouse events synthesised from touch (which == SDL_TOUCH_MOUSEID) are
    // skipped: the finger events carry them. Finger coordinates are
    // normalised to the window: turn's panel size scales them; every
    // position is then mapped from the panel to the layout through turn
    // (a mouse's whole pixel to the layout pixel shown there).
    bool handle(const SDL_Event& event, const ScreenTurn& turn);
    // The same for an unturned window of width × height pixels.
    bool handle(const SDL_Event& event, int width, int height) { return handle(event, ScreenTurn(0, width, height)); }

    // Scripted input, the same path as real touch, in layout coordinates
    // (Simulator::tap_at maps a panel point with ScreenTurn::to_layout, as
    // handle does).
    void press(float x, float y);
    void release();

    // Writes this frame's pointer into io (after ImGui_ImplSDL2_NewFrame) and
    // advances to the next queued state, if any.
    void apply(ImGuiIO& io);

    // True while queued states remain that no frame has shown yet.
    bool busy() const { return !queue_.empty(); }

private:
    struct State {
        float x = -1, y = -1;
        bool has_position = false;
        bool down = false;
    };
    void push(const State& s) { queue_.push_back(s); }
    State last() const { return queue_.empty() ? current_ : queue_.back(); }

    State current_;            // what the last frame showed
    std::deque<State> queue_;  // states still to show, one per frame
};

}  // namespace pulse
