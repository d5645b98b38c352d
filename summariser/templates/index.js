(function () {
  var source = document.getElementById('source'), kind = document.getElementById('kind');
  var find = document.getElementById('find'), shown = document.getElementById('shown');
  var entries = Array.prototype.slice.call(document.querySelectorAll('#entries li'));
  function apply() {
    var words = find.value.toLowerCase(), count = 0;
    entries.forEach(function (li) {
      var hide = (source.value && li.dataset.source !== source.value) || (kind.value && li.dataset.kind !== kind.value)
        || (words && li.textContent.toLowerCase().indexOf(words) < 0);
      li.hidden = !!hide;
      if (!hide) { count += 1; }
    });
    shown.textContent = count + ' shown';
  }
  [source, kind].forEach(function (el) { el.addEventListener('change', apply); });
  find.addEventListener('input', apply);
  apply();
})();
