(function () {
  var items = Array.prototype.slice.call(document.querySelectorAll('button.cite'));
  var count = document.getElementById('count');
  var tip = document.getElementById('tip');
  var current = -1;
  function clear() {
    document.querySelectorAll('.citing').forEach(function (b) { b.classList.remove('citing'); });
    tip.textContent = '';
  }
  function go(index) {
    if (index < 0 || index >= items.length) { return; }
    var button = items[index];
    var mark = document.getElementById(button.dataset.target);
    items.forEach(function (b) { b.classList.remove('current'); });
    button.classList.add('current');
    current = index;
    count.textContent = (index + 1) + ' / ' + items.length;
    if (!mark) { button.focus(); return; }
    document.querySelectorAll('mark.active').forEach(function (m) {
      m.classList.remove('active'); m.className = m.className.replace(/\bs-\S+/g, '').trim() + ' ' + m.dataset.home;
    });
    // Lit in the colour of the item clicked, whichever section cited the sentence first.
    mark.className = mark.className.replace(/\bs-\S+/g, '').trim() + ' s-' + button.dataset.section + ' active';
    mark.dataset.from = button.id;
    mark.scrollIntoView({ block: 'center' });
    mark.focus({ preventScroll: true });
  }
  items.forEach(function (button, index) { button.addEventListener('click', function () { go(index); }); });
  document.getElementById('prev').addEventListener('click', function () { go(Math.max(0, current - 1)); });
  document.getElementById('next').addEventListener('click', function () { go(Math.min(items.length - 1, current + 1)); });
  function back(mark) {
    // From a sentence back to the item that led there, or the first that cites it.
    var id = mark.dataset.from || (mark.dataset.items || '').split(' ')[0];
    var button = document.getElementById(id);
    if (!button) { return; }
    current = items.indexOf(button);
    items.forEach(function (b) { b.classList.remove('current'); });
    button.classList.add('current');
    count.textContent = (current + 1) + ' / ' + items.length;
    button.scrollIntoView({ block: 'center' });
    button.focus({ preventScroll: true });
  }
  function show(mark) {
    clear();
    var names = [];
    (mark.dataset.items || '').split(' ').filter(Boolean).forEach(function (id) {
      var b = document.getElementById(id); if (b) { b.classList.add('citing'); names.push(b.dataset.label); }
    });
    tip.textContent = '[' + mark.dataset.sentence + '] cited by: ' + names.join('; ');
  }
  document.querySelectorAll('mark').forEach(function (mark) {
    mark.dataset.home = (mark.className.match(/\bs-\S+/) || [''])[0];
    mark.addEventListener('mouseenter', function () { show(mark); });
    mark.addEventListener('focus', function () { show(mark); });
    mark.addEventListener('mouseleave', clear);
    mark.addEventListener('blur', clear);
    mark.addEventListener('click', function () { back(mark); });
    mark.addEventListener('keydown', function (event) { if (event.key === 'Enter') { back(mark); } });
  });
  document.addEventListener('keydown', function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    if (event.key === 'j' || event.key === 'n') { go(Math.min(items.length - 1, current + 1)); event.preventDefault(); }
    if (event.key === 'k' || event.key === 'p') { go(Math.max(0, current - 1)); event.preventDefault(); }
  });
})();
