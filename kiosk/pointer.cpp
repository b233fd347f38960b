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

bool Pointer::handle(const SDL_Event& e, int width, int height) {
    switch (e.type) {
        case SDL_FINGERDOWN:
            press(e.tfinger.x * static_cast<float>(width), e.tfinger.y * static_cast<float>(height));
            return true;
        case SDL_FINGERMOTION: {
            State s = last();
            s.x = e.tfinger.x * static_cast<float>(width);
            s.y = e.tfinger.y * static_cast<float>(height);
            s.has_position = true;
            push(s);
            return true;
        }
        case SDL_FINGERUP:
            release();
            return true;
        case SDL_MOUSEMOTION: {
            if (e.motion.which == SDL_TOUCH_MOUSEID) return false;
            State s = last();
            s.x = static_cast<float>(e.motion.x);
            s.y = static_cast<float>(e.motion.y);
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
        case SDL_MOUSEBUTTONDOWN:
            if (e.button.which == SDL_TOUCH_MOUSEID || e.button.button != SDL_BUTTON_LEFT) return false;
            press(static_cast<float>(e.button.x), static_cast<float>(e.button.y));
            return true;
        case SDL_MOUSEBUTTONUP: {
            if (e.button.which == SDL_TOUCH_MOUSEID || e.button.button != SDL_BUTTON_LEFT) return false;
            State up{static_cast<float>(e.button.x), static_cast<float>(e.button.y), true, false};
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
