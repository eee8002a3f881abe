// The seed tutorial's server (shared/seed/000_df056da52597a36d.txt), kept as the article writes it so
// the benchmark measures the design it teaches: one `clients` array scanned on every message, entries
// never removed on close, a Chinese text ack. Only two things differ from the article, both for the
// bench harness: the port comes from PORT / argv (the article hard-codes 5201), and the server listens
// on loopback only (HOST, default 127.0.0.1) instead of every interface.
import { WebSocketServer } from 'ws';

const port = Number(process.env.PORT || process.argv[2] || 5201);
const host = process.env.HOST || '127.0.0.1';

const clients = []; // 与客户端建立的连接池
const wss = new WebSocketServer({ host, port }); // 创建一个websocket服务
wss.on('listening', () => console.log(`seed baseline listening on ws://${host}:${port}/`));

wss.on('connection', function connection(ws, request, client) {
  let url = request.headers.origin + request.url; // example:ws://127.0.0.1:5201/?userId=liubao
  let userId = getParam(url, 'userId');
  if (userId) {
    clients.push({ userId, ws: ws }); // 连接时只要url带userId参数,直接往客户端数组里塞入连接池信息
  }
  ws.on('message', function message(data, isBinary) { // 得到客户端往服务端发送的消息
    try {
      let objMessage = JSON.parse(`${data}`); // example:{ 'userId': 'liubao', 'message': '给你一个小爱心' }
      let { userId, message } = objMessage;
      let count = 0; // 发送客户端数量
      if (userId) {
        clients.forEach(e => {
          if (e['userId'] === userId) {
            count++;
            e['ws'].send(`${message}`);
          }
        });
        ws.send(`已发送userId为${userId}的${count}个客户端`);
      } else {
        ws.send(JSON.stringify({ error: '请发送指定userId的客户端' }));
      }
    } catch (err) {
      ws.send(JSON.stringify({ error: err.message }));
    }
  });
  ws.on('close', function close(event) {
    console.log('关闭了');
  });
});

const getParam = (url, param) => new URLSearchParams(new URL(url).search).get(param); // es6获取URL参数方法
