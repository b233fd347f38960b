// pointer.cpp — SDL events and scripted taps to one queued pointer state.
#include "kiosk/pointer.hpp"

#include <SDL.h>
#include <cfloat>
#include <imgui.h>

namespace pulse {

void Pointer::press(float x, float y) { push(State{x, y, true, true}); }

void Pointer::release() {
    State up = last();
    up.down = false;
    push(up);                       // the release, seen at the press position
    push(State{-1, -1, false, false});  // then lift: nothing stays hovered
}

namespace {

// A finger's position (normalised to the window) in layout pixels.
ScreenPoint finger_at(const SDL_TouchFingerEvent& f, const ScreenTurn& turn) {
    return turn.to_layout(ScreenPoint{f.x * static_cast<float>(turn.panel_width()),
                                      f.y * static_cast<float>(turn.panel_height())});
}

// A mouse's whole window pixel as the layout pixel shown there.
ScreenPoint mouse_at(int x, int y, const ScreenTurn& turn) {
    const ScreenPixel p = turn.to_layout_pixel(ScreenPixel{x, y});
    return ScreenPoint{static_cast<float>(p.x), static_cast<float>(p.y)};
}

}  // namespace

bool Pointer::handle(const SDL_Event& e, const ScreenTurn& turn) {
    switch (e.type) {
        case SDL_FINGERDOWN: {
            const ScreenPoint at = finger_at(e.tfinger, turn);
            press(at.x, at.y);
            return true;
        }
        case SDL_FINGERMOTION: {
            const ScreenPoint at = finger_at(e.tfinger, turn);
            State s = last();
            s.x = at.x;
            s.y = at.y;
            s.has_position = true;
            push(s);
            return true;
        }
        case SDL_FINGERUP:
            release();
            return true;
        case SDL_MOUSEMOTION: {
            if (e.motion.which == SDL_TOUCH_MOUSEID) return false;
            const ScreenPoint at = mouse_at(e.motion.x, e.motion.y, turn);
            State s = last();
            s.x = at.x;
            s.y = at.y;
            s.has_position = true;
            if (queue_.empty()) {
                push(s);
            } else {
                queue_.back().x = s.x;  // motion between presses only moves the newest state
                queue_.back().y = s.y;
                queue_.back().has_position = true;
            }
            return true;
        }
        case SDL_MOUSEBUTTONDOWN: {
            if (e.button.which == SDL_TOUCH_MOUSEID || e.button.button != SDL_BUTTON_LEFT) return false;
            const ScreenPoint at = mouse_at(e.button.x, e.button.y, turn);
            press(at.x, at.y);
            return true;
        }
        case SDL_MOUSEBUTTONUP: {
            if (e.button.which == SDL_TOUCH_MOUSEID || e.button.button != SDL_BUTTON_LEFT) return false;
            const ScreenPoint at = mouse_at(e.button.x, e.button.y, turn);
            State up{at.x, at.y, true, false};
            push(up);  // a mouse keeps hovering where it is
            return true;
        }
        case SDL_WINDOWEVENT:
            if (e.window.event == SDL_WINDOWEVENT_LEAVE) {
                push(State{});
                return true;
            }
            return false;
        default:
            return false;
    }
}

void Pointer::apply(ImGuiIO& io) {
    if (!queue_.empty()) {
        current_ = queue_.front();
        queue_.pop_front();
    }
    io.MousePos = current_.has_position ? ImVec2(current_.x, current_.y) : ImVec2(-FLT_MAX, -FLT_MAX);
    io.MouseDown[0] = current_.down;
}

}  // namespace pulse
