// VietQR settings tab: the custom base URL field shows only for "custom".
(function () {
  "use strict";
  var env = document.getElementById("vietqr-environment");
  var row = document.getElementById("vietqr-row-custom_base_url");
  if (!env || !row) return;
  function sync() {
    row.hidden = env.value !== "custom";
  }
  env.addEventListener("change", sync);
  sync();
})();
