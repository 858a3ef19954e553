// Keyboard behaviour the views' own controls share.

/**
 * The key handler of an SVG element with role="button" (a map marker, a timeline bar):
 * Enter or Space does what a click does, as on a button element, which SVG has not.
 */
export function pressedBy(action: () => void): (e: KeyboardEvent) => void {
  return (e) => {
    if (e.key === "Enter" || e.key === " ") {
      e.preventDefault();
      action();
    }
  };
}
