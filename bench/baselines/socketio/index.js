// Targeted delivery the way Socket.IO users usually write it: every connection joins a room named by
// the userId from its handshake query, and a "message" event {userId, message} is emitted to that room.
// The ack answers like Switchboard's plain mode, {userId, delivered: <room size>}, so the load
// generator counts both the same way.
const http = require('node:http');
const { Server } = require('socket.io');

const port = Number(process.env.PORT || process.argv[2] || 5202);
const host = process.env.HOST || '127.0.0.1';

const httpServer = http.createServer();
// Only the websocket transport is measured; the bench client never polls.
const io = new Server(httpServer, { transports: ['websocket'], serveClient: false });

io.on('connection', (socket) => {
  const userId = socket.handshake.query.userId;
  if (typeof userId === 'string' && userId !== '') {
    socket.join(userId);
  }
  socket.on('message', (data, ack) => {
    const target = data && data.userId;
    if (typeof target !== 'string' || target === '') {
      if (typeof ack === 'function') ack({ error: 'userId is required', code: 'bad_request' });
      return;
    }
    io.to(target).emit('message', data.message);
    if (typeof ack === 'function') {
      const room = io.sockets.adapter.rooms.get(target);
      ack({ userId: target, delivered: room ? room.size : 0 });
    }
  });
});

httpServer.listen(port, host, () => console.log(`socket.io baseline listening on ws://${host}:${port}/socket.io/`));
