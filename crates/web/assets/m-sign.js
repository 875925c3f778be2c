// Drawn signatures on the phone page: draw on the canvas with a finger; on submit the drawing
// goes as a PNG data URL in the hidden "drawn" field. Without a drawing the typed name is used.
(function () {
  document.querySelectorAll("form.sign-form").forEach(function (form) {
    var canvas = form.querySelector("canvas.sign-pad");
    var field = form.querySelector("input[name=drawn]");
    if (!canvas || !field) return;
    var ctx = canvas.getContext("2d");
    ctx.lineWidth = 2.5;
    ctx.lineCap = "round";
    var drawing = false, drawn = false;
    function at(e) {
      var r = canvas.getBoundingClientRect();
      var p = e.touches ? e.touches[0] : e;
      return { x: (p.clientX - r.left) * canvas.width / r.width, y: (p.clientY - r.top) * canvas.height / r.height };
    }
    function start(e) { drawing = true; var p = at(e); ctx.beginPath(); ctx.moveTo(p.x, p.y); e.preventDefault(); }
    function move(e) { if (!drawing) return; var p = at(e); ctx.lineTo(p.x, p.y); ctx.stroke(); drawn = true; e.preventDefault(); }
    function end() { drawing = false; }
    canvas.addEventListener("mousedown", start); canvas.addEventListener("mousemove", move); window.addEventListener("mouseup", end);
    canvas.addEventListener("touchstart", start, { passive: false }); canvas.addEventListener("touchmove", move, { passive: false }); canvas.addEventListener("touchend", end);
    var clear = form.querySelector("button.sign-clear");
    if (clear) clear.addEventListener("click", function () { ctx.clearRect(0, 0, canvas.width, canvas.height); drawn = false; });
    form.addEventListener("submit", function () { field.value = drawn ? canvas.toDataURL("image/png") : ""; });
  });
})();
